package chat.errors;

import chat.errors.v1.ChatErrors;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.DescriptorProtos.EnumValueOptions;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue as chat_errors.proto declares it: read once from the
 * options of enum ErrorCode and its values, through the descriptor that
 * protoc generated. A value that lacks an option fails here, naming it.
 */
final class Catalogue {
  static final class Entry {
    final String originalName;
    final Status.Code grpcCode;
    final boolean retryable;
    /** By locale index. */
    final List<String> descriptions;

    private Entry(String originalName, Status.Code grpcCode, boolean retryable, List<String> descriptions) {
      this.originalName = originalName;
      this.grpcCode = grpcCode;
      this.retryable = retryable;
      this.descriptions = descriptions;
    }
  }

  static final List<String> LOCALE_TAGS;
  private static final Map<ErrorCode, Entry> ENTRIES = new EnumMap<>(ErrorCode.class);
  private static final Map<Integer, ErrorCode> BY_NUMBER = new HashMap<>();
  private static final Map<String, ErrorCode> BY_REASON = new HashMap<>();

  static {
    EnumDescriptor errorCode = ChatErrors.ErrorCode.getDescriptor();
    LOCALE_TAGS = List.copyOf(errorCode.getOptions().getExtension(ChatErrors.locales));
    if (LOCALE_TAGS.isEmpty()) {
      throw new IllegalStateException("enum ErrorCode declares no (locales)");
    }
    Map<String, ErrorCode> byReason = new HashMap<>();
    for (ErrorCode code : ErrorCode.values()) {
      byReason.put(code.name(), code);
    }
    for (EnumValueDescriptor value : errorCode.getValues()) {
      if (value.getNumber() == 0) {
        continue;
      }
      ErrorCode code = byReason.get(value.getName().substring("ERROR_CODE_".length()));
      if (code == null || code.number() != value.getNumber()) {
        throw new IllegalStateException(value.getName() + " has no ErrorCode constant: rebuild");
      }
      ENTRIES.put(code, entryOf(value));
      BY_NUMBER.put(code.number(), code);
      BY_REASON.put(code.name(), code);
    }
    if (ENTRIES.size() != ErrorCode.values().length) {
      throw new IllegalStateException("ErrorCode has constants the proto lacks: rebuild");
    }
  }

  private static Entry entryOf(EnumValueDescriptor value) {
    EnumValueOptions options = value.getOptions();
    String name = value.getName();
    ChatErrors.GrpcCode grpcCode = options.getExtension(ChatErrors.grpcCode);
    if (grpcCode == ChatErrors.GrpcCode.GRPC_CODE_UNSPECIFIED) {
      throw new IllegalStateException(name + " lacks (grpc_code)");
    }
    if (!options.hasExtension(ChatErrors.retryable)) {
      throw new IllegalStateException(name + " lacks (retryable)");
    }
    String originalName = options.getExtension(ChatErrors.originalName);
    if (originalName.isEmpty()) {
      throw new IllegalStateException(name + " lacks (original_name)");
    }
    String[] descriptions = new String[LOCALE_TAGS.size()];
    for (ChatErrors.LocalizedDescription description : options.getExtension(ChatErrors.description)) {
      int index = LOCALE_TAGS.indexOf(description.getLocale());
      if (index < 0 || descriptions[index] != null || description.getText().isEmpty()) {
        throw new IllegalStateException(name + " has a bad (description) for " + description.getLocale());
      }
      descriptions[index] = description.getText();
    }
    List<String> byLocale = new ArrayList<>();
    for (int index = 0; index < descriptions.length; index++) {
      if (descriptions[index] == null) {
        throw new IllegalStateException(name + " lacks a (description) in " + LOCALE_TAGS.get(index));
      }
      byLocale.add(descriptions[index]);
    }
    return new Entry(originalName, Status.Code.valueOf(grpcCode.name().substring("GRPC_CODE_".length())),
        options.getExtension(ChatErrors.retryable), Collections.unmodifiableList(byLocale));
  }

  static Entry entry(ErrorCode code) {
    return ENTRIES.get(code);
  }

  static ErrorCode byNumber(int number) {
    return BY_NUMBER.get(number);
  }

  static ErrorCode byReason(String reason) {
    return BY_REASON.get(reason);
  }

  private Catalogue() {}
}
