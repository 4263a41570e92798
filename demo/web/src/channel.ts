// The open channel: its details, and its messages as WatchChannel streams
// them until the stream ends with an error.

import type { Channel, Message } from "./gen/chat/demo/v1/chat_service_pb.js";
import { showError } from "./banner.js";
import { t } from "./i18n.js";
import { asCaller, chat } from "./rpc.js";

const title = document.getElementById("channel-title") as HTMLElement;
const info = document.getElementById("channel-info") as HTMLElement;
const messages = document.getElementById("messages") as HTMLOListElement;
const mine = document.getElementById("my-channels") as HTMLUListElement;

let open: Channel | undefined;
let watching: AbortController | undefined;
const joined = new Set<string>();

/** The open channel's id, or "" when none is open. */
export function openChannelId(): string {
  return open?.channelId ?? "";
}

/** Shows `channel`, and watches its messages when `me` is a member. */
export function showChannel(channel: Channel, me: string): void {
  const switched = open?.channelId !== channel.channelId;
  open = channel;
  title.textContent = `# ${channel.name}`;
  title.dataset.channelId = channel.channelId;
  info.textContent = t(
    "channelInfo",
    channel.ownerId,
    channel.memberIds.length,
    channel.frozen ? t("frozen") : "",
  );
  if (channel.memberIds.includes(me)) remember(channel.channelId);
  if (switched) {
    stopWatching();
    messages.replaceChildren();
    if (channel.memberIds.includes(me)) void watch(channel.channelId);
  }
}

/** Closes the open channel, as after leaving it. */
export function closeChannel(): void {
  stopWatching();
  if (open) forget(open.channelId);
  open = undefined;
  title.textContent = t("noChannel");
  delete title.dataset.channelId;
  info.textContent = "";
  messages.replaceChildren();
}

/** Forgets every channel, as after signing out. */
export function forgetAll(): void {
  closeChannel();
  joined.clear();
  mine.replaceChildren();
}

function stopWatching(): void {
  watching?.abort();
  watching = undefined;
}

async function watch(channelId: string): Promise<void> {
  const controller = new AbortController();
  watching = controller;
  messages.dataset.watching = "true";
  try {
    for await (const response of chat.watchChannel({ channelId }, asCaller(controller.signal))) {
      if (response.message) messages.append(messageItem(channelId, response.message));
    }
  } catch (err) {
    if (!controller.signal.aborted) showError(err);
  } finally {
    if (watching === controller) messages.dataset.watching = "false";
  }
}

function messageItem(channelId: string, message: Message): HTMLLIElement {
  const item = document.createElement("li");
  item.dataset.messageId = String(message.messageId);
  item.dataset.sender = message.senderId;
  const sender = document.createElement("strong");
  sender.textContent = message.senderId;
  const body = document.createElement("span");
  body.className = "text";
  body.textContent = message.fileId === "" ? message.text : `📎 ${message.fileName}`;
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "link";
  remove.textContent = t("delete");
  remove.dataset.action = "deleteMessage";
  remove.dataset.channelId = channelId;
  remove.dataset.messageId = String(message.messageId);
  item.append(sender, " ", body, " ", remove);
  return item;
}

function remember(channelId: string): void {
  if (joined.has(channelId)) return;
  joined.add(channelId);
  const item = document.createElement("li");
  item.dataset.channelId = channelId;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.textContent = `# ${channelId}`;
  button.dataset.action = "openChannel";
  button.dataset.channelId = channelId;
  item.append(button);
  mine.append(item);
}

function forget(channelId: string): void {
  joined.delete(channelId);
  mine.querySelector(`li[data-channel-id="${CSS.escape(channelId)}"]`)?.remove();
}
