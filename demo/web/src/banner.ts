// Error banners: what a failed call decoded to, in the reader's language,
// with the retry countdown, the offending form fields and the request id.
// Each banner also carries the decoded values as data-* attributes, which is
// what the browser test reads.

import { chatErrorOf } from "@chat-errors/client";
import type { ChatError } from "@chat-errors/client";
import { ConnectError } from "@connectrpc/connect";

import { browserLanguages, t } from "./i18n.js";

/** Banners kept on screen, newest first. */
const MAX_BANNERS = 4;
const COUNTDOWN_TICK_MS = 100;

const section = document.getElementById("errors") as HTMLElement;
const alert = document.getElementById("alert") as HTMLElement;
const list = document.getElementById("banners") as HTMLOListElement;
let shown = 0;

/** The message for the reader: the LocalizedMessage in one of the browser's
 * languages, or else the status message, which is English. */
function forReader(error: ChatError): { text: string; locale: string } {
  for (const language of browserLanguages) {
    const wanted = primaryTag(language);
    const match = error.localizedMessages.find((localized) => primaryTag(localized.locale) === wanted);
    if (match) return { text: match.message, locale: match.locale };
  }
  return { text: error.message, locale: "en" };
}

function primaryTag(tag: string): string {
  return tag.toLowerCase().split("-")[0] ?? "";
}

/** The request field a violation names, as the form's input is named: `member_ids[1]` is `member_ids`. */
function inputName(field: string): string {
  return field.replace(/\[\d+\]$/, "").split(".")[0] ?? field;
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  const element = document.createElement("p");
  element.className = className;
  element.textContent = text;
  return element;
}

/** Marks `form`'s inputs that `error` names as invalid, described by the banner. */
function highlightFields(form: HTMLFormElement | undefined, error: ChatError, describedBy: string): void {
  if (!form) return;
  let first: HTMLElement | undefined;
  for (const violation of error.fieldViolations) {
    const input = form.elements.namedItem(inputName(violation.field));
    if (!(input instanceof HTMLElement)) continue;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", describedBy);
    first ??= input;
  }
  first?.focus();
}

/** Clears what the last failure of `form` marked. */
export function clearFields(form: HTMLFormElement): void {
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }
}

/** Counts down the RetryInfo delay, keeping `button` disabled until it ends. */
function countdown(line: HTMLParagraphElement, delayMs: number, button: HTMLButtonElement | undefined): void {
  const end = performance.now() + delayMs;
  if (button) button.disabled = true;
  const tick = (): void => {
    const left = end - performance.now();
    if (left <= 0 || !line.isConnected) {
      line.textContent = t("retryNow");
      if (button) button.disabled = false;
      return;
    }
    line.textContent = t("retryIn", (left / 1000).toFixed(1));
    window.setTimeout(tick, Math.min(COUNTDOWN_TICK_MS, left));
  };
  tick();
}

/** Shows `err` (a ConnectError, or anything thrown) as the newest banner.
 * `form` is the form whose action failed; `button` the one that sent it. */
export function showError(err: unknown, form?: HTMLFormElement, button?: HTMLButtonElement): void {
  shown += 1;
  const banner = document.createElement("li");
  banner.className = "banner";
  banner.dataset.seq = String(shown);
  const messageId = `banner-${shown}-message`;
  const error = chatErrorOf(err);
  if (error) {
    renderChatError(banner, error, messageId, button);
    highlightFields(form, error, messageId);
  } else {
    const reason = err instanceof ConnectError ? err.rawMessage : String(err);
    banner.dataset.code = "";
    banner.append(paragraph("banner-message", t("notChatError", reason)));
    banner.firstElementChild!.id = messageId;
  }
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.className = "banner-dismiss";
  dismiss.textContent = "×";
  dismiss.setAttribute("aria-label", t("dismiss"));
  dismiss.addEventListener("click", () => {
    banner.remove();
    section.hidden = list.childElementCount === 0;
  });
  banner.append(dismiss);
  list.prepend(banner);
  alert.textContent = banner.querySelector(".banner-message")?.textContent ?? "";
  while (list.childElementCount > MAX_BANNERS) list.lastElementChild!.remove();
  section.hidden = false;
}

function renderChatError(banner: HTMLElement, error: ChatError, messageId: string, button: HTMLButtonElement | undefined): void {
  const reader = forReader(error);
  Object.assign(banner.dataset, {
    code: String(error.code ?? ""),
    reason: error.reason,
    domain: error.domain,
    name: error.name ?? "",
    grpcCode: String(error.grpcCode),
    message: reader.text,
    locale: reader.locale,
    statusMessage: error.message,
    localized: JSON.stringify(error.localizedMessages),
    metadata: JSON.stringify(error.metadata),
    retryMs: error.retryDelayMs === undefined ? "" : String(error.retryDelayMs),
    fields: error.fieldViolations.map((violation) => violation.field).join(","),
    resourceType: error.resourceInfo?.resourceType ?? "",
    resourceName: error.resourceInfo?.resourceName ?? "",
    requestId: error.requestId ?? "",
  });

  const message = paragraph("banner-message", reader.text);
  message.id = messageId;
  message.lang = reader.locale;
  banner.append(message);
  const meta = document.createElement("p");
  meta.className = "banner-meta";
  const reason = document.createElement("code");
  reason.className = "banner-reason";
  reason.textContent = error.reason;
  const code = document.createElement("span");
  code.className = "banner-code";
  code.textContent = String(error.code ?? "?");
  meta.append(reason, " · ", code);
  banner.append(meta);

  for (const violation of error.fieldViolations) {
    banner.append(paragraph("banner-field", t("checkField", violation.field, violation.description)));
  }
  if (error.resourceInfo) {
    banner.append(paragraph("banner-resource", t("resource", error.resourceInfo.resourceType, error.resourceInfo.resourceName)));
  }
  if (error.requestId !== undefined) {
    const line = paragraph("banner-request", `${t("requestId")}: `);
    const id = document.createElement("code");
    id.textContent = error.requestId;
    line.append(id);
    banner.append(line);
  }
  if (error.retryDelayMs !== undefined) {
    const line = paragraph("banner-retry", "");
    line.setAttribute("aria-live", "off");
    banner.append(line);
    countdown(line, error.retryDelayMs, button);
  }
}
