package chat.errors.demo;

import chat.errors.ChatError;
import chat.errors.ChatErrorDecoder;
import chat.errors.ChatStatus;
import chat.errors.ErrorCode;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reading the code out of a StatusRuntimeException, beside grpc-java's own
 * way (StatusProto.fromThrowable, then unpacking the ErrorInfo and parsing
 * its metadata {@code code}), over the 57 codes' statuses, in one run.
 * Rounds alternate between the two so that a noisy machine moves both alike;
 * the medians' ratio is printed as {@code jvm_decode_vs_status_proto}.
 *
 * usage: DecodeBench [ROUNDS]
 */
public final class DecodeBench {
  private static volatile int sink;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    List<StatusRuntimeException> statuses = new ArrayList<>();
    for (ErrorCode code : ErrorCode.values()) {
      // What a client receives: the status and its trailers, as sent.
      StatusRuntimeException sent = ChatStatus.of(code);
      statuses.add(sent.getStatus().asRuntimeException(sent.getTrailers()));
    }
    ChatErrorDecoder decoder = ChatErrorDecoder.forDomain(ChatError.DEFAULT_DOMAIN);
    for (StatusRuntimeException e : statuses) {
      if (viaStatusProto(e) != decoder.codeOf(e).number()) {
        throw new AssertionError("the two ways disagree on " + e);
      }
    }
    int iterations = 2_000;
    double[] ours = new double[rounds];
    double[] theirs = new double[rounds];
    for (int warm = 0; warm < 5; warm++) {
      timeOurs(decoder, statuses, iterations);
      timeTheirs(statuses, iterations);
    }
    for (int round = 0; round < rounds; round++) {
      ours[round] = timeOurs(decoder, statuses, iterations);
      theirs[round] = timeTheirs(statuses, iterations);
    }
    double oursNs = median(ours);
    double theirsNs = median(theirs);
    System.out.printf("jvm decode code (chat-errors codeOf): median %.1f ns%n", oursNs);
    System.out.printf("jvm decode code (StatusProto + unpack ErrorInfo): median %.1f ns%n", theirsNs);
    System.out.printf("jvm_decode_vs_status_proto=%.2f%n", oursNs / theirsNs);
  }

  private static double timeOurs(ChatErrorDecoder decoder, List<StatusRuntimeException> statuses, int iterations) {
    long start = System.nanoTime();
    int total = 0;
    for (int i = 0; i < iterations; i++) {
      for (StatusRuntimeException e : statuses) {
        total += decoder.codeOf(e).number();
      }
    }
    sink = total;
    return (System.nanoTime() - start) / (double) (iterations * statuses.size());
  }

  private static double timeTheirs(List<StatusRuntimeException> statuses, int iterations)
      throws InvalidProtocolBufferException {
    long start = System.nanoTime();
    int total = 0;
    for (int i = 0; i < iterations; i++) {
      for (StatusRuntimeException e : statuses) {
        total += viaStatusProto(e);
      }
    }
    sink = total;
    return (System.nanoTime() - start) / (double) (iterations * statuses.size());
  }

  /** grpc-java's own way, as an app would write it by hand. */
  private static int viaStatusProto(StatusRuntimeException e) throws InvalidProtocolBufferException {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        ErrorInfo info = detail.unpack(ErrorInfo.class);
        if (info.getDomain().equals(ChatError.DEFAULT_DOMAIN)) {
          return Integer.parseInt(info.getMetadataOrDefault("code", "0"));
        }
      }
    }
    return 0;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private DecodeBench() {}
}
