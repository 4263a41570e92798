// Builds statuses with protobuf-es's own encoder, for the cases the CLI
// cannot produce: contradictions, repeats, extra detail types.
import { create, toBinary } from "@bufbuild/protobuf";
import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import type { Any } from "@bufbuild/protobuf/wkt";
import { ErrorInfoSchema, LocalizedMessageSchema } from "../src/gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../src/gen/google/rpc/status_pb.js";

export function detail<Desc extends DescMessage>(desc: Desc, init: MessageInitShape<Desc>): Any {
  return anyPack(desc, create(desc, init));
}

export function errorInfo(reason: string, metadata: Record<string, string>, domain = "chat.errors.v1"): Any {
  return detail(ErrorInfoSchema, { reason, domain, metadata });
}

export function korean(message: string): Any {
  return detail(LocalizedMessageSchema, { locale: "ko-KR", message });
}

export function statusBytes(code: number, message: string, details: Any[]): Uint8Array {
  return toBinary(StatusSchema, create(StatusSchema, { code, message, details }));
}

/** Trailers as a server sends them: the status code and message beside the details. */
export function trailers(code: number, message: string, details: Any[], header = { code, message }): Headers {
  return new Headers({
    "grpc-status": String(header.code),
    "grpc-message": encodeURIComponent(header.message),
    "grpc-status-details-bin": Buffer.from(statusBytes(code, message, details)).toString("base64"),
  });
}

/** ChannelNotFound as the catalogue sends it, with extra details appended. */
export function channelNotFound(...extra: Any[]): Headers {
  return trailers(5, "The channel does not exist.", [
    errorInfo("CHANNEL_NOT_FOUND", { code: "2003", message: "ChannelNotFound" }),
    korean("존재하지 않는 채널입니다"),
    ...extra,
  ]);
}
