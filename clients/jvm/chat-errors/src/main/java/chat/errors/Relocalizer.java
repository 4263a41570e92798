package chat.errors;

import chat.errors.Wire.AnyView;
import chat.errors.Wire.ErrorInfoView;
import chat.errors.Wire.StatusView;
import chat.errors.Wire.WireException;
import com.google.rpc.LocalizedMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A chat error already built, sent in the caller's locale, as the Rust
 * crate's {@code src/encode/relocalize.rs} does: its LocalizedMessage
 * becomes the negotiated locale's and the rest is copied as it was. This is
 * how the interceptor reaches statuses built without the call's context (on
 * another thread, say, or kept in a constant).
 */
final class Relocalizer {
  private static final String LOCALIZED_MESSAGE = "google.rpc.LocalizedMessage";
  private static final String ERROR_INFO = "google.rpc.ErrorInfo";
  private static final String LOCALIZED_MESSAGE_URL = "type.googleapis.com/" + LOCALIZED_MESSAGE;

  /**
   * The details with {@code locale}'s LocalizedMessage of {@code code} in place
   * of whatever LocalizedMessages they had, or right after the domain's
   * ErrorInfo if they had none; {@code null} when they do not parse, are
   * already so, or would pass the trailer cap.
   */
  static byte[] relocalize(byte[] details, String message, String domain, ErrorCode code, CatalogueLocale locale) {
    StatusView view;
    try {
      view = StatusView.parse(details);
    } catch (WireException e) {
      return null;
    }
    AnyView[] parsed = new AnyView[view.details.size()];
    boolean hadLocalized = false;
    for (int i = 0; i < parsed.length; i++) {
      try {
        parsed[i] = AnyView.parse(view.details.get(i));
      } catch (WireException e) {
        return null;
      }
      hadLocalized |= parsed[i].is(LOCALIZED_MESSAGE);
    }
    byte[] domainBytes = domain.getBytes(StandardCharsets.UTF_8);
    ChatStatus.Writer out = new ChatStatus.Writer();
    out.int32Field(1, view.code);
    out.bytesField(2, view.message);
    LocalizedMessage localized = LocalizedMessage.newBuilder()
        .setLocale(locale.tag()).setMessage(code.description(locale)).build();
    boolean written = false;
    for (int i = 0; i < parsed.length; i++) {
      if (parsed[i].is(LOCALIZED_MESSAGE)) {
        if (!written) {
          out.detail(LOCALIZED_MESSAGE_URL, localized);
          written = true;
        }
        continue;
      }
      out.bytesField(3, view.details.get(i));
      if (!hadLocalized && !written && parsed[i].is(ERROR_INFO) && isOfDomain(parsed[i], domainBytes)) {
        out.detail(LOCALIZED_MESSAGE_URL, localized);
        written = true;
      }
    }
    byte[] spliced = out.toByteArray();
    boolean fits = ChatStatus.Fitting.percentEncodedLength(message)
        + ChatStatus.Fitting.base64Length(spliced.length) <= ChatStatus.MAX_TRAILER_BYTES;
    return fits && !Arrays.equals(spliced, details) ? spliced : null;
  }

  private static boolean isOfDomain(AnyView detail, byte[] domain) {
    try {
      return Arrays.equals(ErrorInfoView.parse(detail.value).domain, domain);
    } catch (WireException e) {
      return false;
    }
  }

  private Relocalizer() {}
}
