// The ChatService client: gRPC-Web to the server that served this page,
// with the session's authorization header on every call.

import { createClient } from "@connectrpc/connect";
import type { CallOptions, Client } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";

import { ChatService } from "./gen/chat/demo/v1/chat_service_pb.js";

export type Chat = Client<typeof ChatService>;

/** The client of the service at this page's origin. */
export const chat: Chat = createClient(
  ChatService,
  createGrpcWebTransport({ baseUrl: window.location.origin }),
);

let authorization = "";

/** Who the page calls as: the `authorization` header value, or "" for nobody. */
export function useAuthorization(value: string): void {
  authorization = value;
}

export function currentAuthorization(): string {
  return authorization;
}

/** The value of the header for a session token. */
export function bearer(sessionToken: string): string {
  return `Bearer ${sessionToken}`;
}

/** Call options carrying the session; the browser adds accept-language itself. */
export function asCaller(signal?: AbortSignal): CallOptions {
  const headers: Record<string, string> = {};
  if (authorization !== "") headers.authorization = authorization;
  return signal === undefined ? { headers } : { headers, signal };
}
