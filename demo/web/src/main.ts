// The chat page: each form calls one ChatService method over gRPC-Web; a
// failure becomes an error banner, a success a status line.

import type { Channel } from "./gen/chat/demo/v1/chat_service_pb.js";
import { clearFields, showError } from "./banner.js";
import { closeChannel, forgetAll, openChannelId, showChannel } from "./channel.js";
import { crc32 } from "./crc32.js";
import { t, translatePage } from "./i18n.js";
import { asCaller, bearer, chat, useAuthorization } from "./rpc.js";

const status = document.getElementById("status") as HTMLElement;
const who = document.getElementById("who") as HTMLElement;
const sessionInput = document.getElementById("session-authorization") as HTMLInputElement;

/** The signed-in user's id, or "" when nobody is. */
let me = "";

/** One form's values by input name, as the request fields are named. */
class Values {
  constructor(private readonly form: HTMLFormElement) {}

  text(name: string): string {
    const input = this.form.elements.namedItem(name);
    return input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement || input instanceof HTMLSelectElement
      ? input.value
      : "";
  }

  /** A comma-separated list, without blanks. */
  list(name: string): string[] {
    return this.text(name)
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");
  }

  number(name: string): number {
    const value = Number(this.text(name));
    return Number.isFinite(value) ? value : 0;
  }

  checked(name: string): boolean {
    const input = this.form.elements.namedItem(name);
    return input instanceof HTMLInputElement && input.checked;
  }

  file(name: string): File | undefined {
    const input = this.form.elements.namedItem(name);
    return input instanceof HTMLInputElement ? input.files?.[0] : undefined;
  }
}

/** What a form does; resolves to the status line to show. */
type Action = (values: Values, choice: string) => Promise<string>;

function signedIn(userId: string, sessionToken: string): void {
  me = userId;
  useAuthorization(bearer(sessionToken));
  sessionInput.value = bearer(sessionToken);
  who.textContent = t("signedIn", userId);
}

function signedOut(): void {
  me = "";
  useAuthorization("");
  sessionInput.value = "";
  who.textContent = t("signedOut");
  forgetAll();
}

async function refresh(channelId: string): Promise<void> {
  const { channel } = await chat.getChannel({ channelId }, asCaller());
  if (channel) showChannel(channel, me);
}

function show(channel: Channel | undefined): void {
  if (channel) showChannel(channel, me);
}

const actions: Record<string, Action> = {
  async signUp(values) {
    const userId = values.text("user_id");
    const { loginToken } = await chat.signUp({ userId, nickname: values.text("nickname") });
    (document.getElementById("login-token-out") as HTMLOutputElement).value = loginToken;
    (document.getElementById("log-in-user-id") as HTMLInputElement).value = userId;
    (document.getElementById("log-in-token") as HTMLInputElement).value = loginToken;
    return userId;
  },

  async logIn(values) {
    const userId = values.text("user_id");
    const { sessionToken } = await chat.login({ userId, loginToken: values.text("login_token") });
    forgetAll();
    signedIn(userId, sessionToken);
    return userId;
  },

  async useSession(values) {
    // A pasted session: the server says whose it is, or why it is no good.
    useAuthorization(values.text("authorization"));
    return values.text("authorization");
  },

  async account(_, choice) {
    if (choice === "logOut") await chat.logout({}, asCaller());
    if (choice === "deactivate") await chat.deactivateAccount({}, asCaller());
    if (choice === "delete") await chat.deleteAccount({}, asCaller());
    signedOut();
    return choice;
  },

  async block(values, choice) {
    const userId = values.text("user_id");
    if (choice === "unblock") await chat.unblockUser({ userId }, asCaller());
    else await chat.blockUser({ userId }, asCaller());
    return `${choice} ${userId}`;
  },

  async createChannel(values) {
    const { channel } = await chat.createChannel(
      {
        channelId: values.text("channel_id"),
        name: values.text("name"),
        channelType: values.number("channel_type"),
        memberIds: values.list("member_ids"),
        invitationCode: values.text("invitation_code"),
        maxMembers: values.number("max_members"),
        reuseExisting: values.checked("reuse_existing"),
      },
      asCaller(),
    );
    show(channel);
    return channel?.channelId ?? "";
  },

  async joinChannel(values, choice) {
    const channelId = values.text("channel_id");
    if (choice === "open") {
      await refresh(channelId);
      return channelId;
    }
    // An empty field sends no code at all; the server tells the two apart.
    const code = values.text("invitation_code");
    const { channel } = await chat.joinChannel(
      { channelId, invitationCode: code === "" ? undefined : code },
      asCaller(),
    );
    show(channel);
    return channelId;
  },

  async sendMessage(values) {
    const { messageId } = await chat.sendMessage(
      { channelId: openChannelId(), text: values.text("text"), mentionedUserIds: values.list("mentioned_user_ids") },
      asCaller(),
    );
    return `#${messageId}`;
  },

  async uploadFile(values) {
    const file = values.file("file_name");
    const content = new Uint8Array(file ? await file.arrayBuffer() : new ArrayBuffer(0));
    const { fileId } = await chat.uploadFile(
      { channelId: openChannelId(), fileName: file?.name ?? "", content, crc32: crc32(content) },
      asCaller(),
    );
    return t("attached", fileId);
  },

  async invite(values) {
    const { channel } = await chat.inviteMembers({ channelId: openChannelId(), userIds: values.list("user_ids") }, asCaller());
    show(channel);
    return values.text("user_ids");
  },

  async moderate(values, choice) {
    const channelId = openChannelId();
    const userId = values.text("user_id");
    const target = { channelId, userId };
    if (choice === "remove") await chat.removeMember(target, asCaller());
    if (choice === "ban") await chat.banUser(target, asCaller());
    if (choice === "mute") await chat.muteUser(target, asCaller());
    if (choice === "transfer") await chat.transferOwnership({ channelId, newOwnerId: userId }, asCaller());
    if (choice === "freeze" || choice === "unfreeze") {
      await chat.freezeChannel({ channelId, frozen: choice === "freeze" }, asCaller());
    }
    await refresh(channelId);
    return `${choice} ${userId}`;
  },

  async leave() {
    const channelId = openChannelId();
    await chat.leaveChannel({ channelId }, asCaller());
    closeChannel();
    return channelId;
  },
};

/** The outcome of the last action, for people and for the browser test. */
function report(outcome: "ok" | "error", text: string): void {
  status.dataset.seq = String(Number(status.dataset.seq) + 1);
  status.dataset.outcome = outcome;
  status.textContent = outcome === "ok" ? t("done", text) : "";
}

async function perform(run: () => Promise<string>, form?: HTMLFormElement, button?: HTMLButtonElement): Promise<void> {
  if (form) {
    clearFields(form);
    form.setAttribute("aria-busy", "true");
  }
  try {
    report("ok", await run());
  } catch (err) {
    showError(err, form, button);
    report("error", "");
  } finally {
    form?.removeAttribute("aria-busy");
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target as HTMLFormElement;
  const action = actions[form.dataset.action ?? ""];
  if (!action) return;
  event.preventDefault();
  const button = event.submitter instanceof HTMLButtonElement ? event.submitter : undefined;
  void perform(() => action(new Values(form), button?.value ?? ""), form, button);
});

document.addEventListener("click", (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>("button[data-action]");
  if (!button) return;
  const channelId = button.dataset.channelId ?? "";
  if (button.dataset.action === "openChannel") {
    void perform(async () => {
      await refresh(channelId);
      return channelId;
    });
  }
  if (button.dataset.action === "deleteMessage") {
    const messageId = BigInt(button.dataset.messageId ?? "0");
    void perform(async () => {
      await chat.deleteMessage({ channelId, messageId }, asCaller());
      button.closest("li")?.remove();
      return `#${messageId}`;
    });
  }
});

translatePage();
