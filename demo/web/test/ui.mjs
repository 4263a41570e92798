// Driving the chat page as a person would: fill a form, press its button,
// wait for the page to say how it went, and read the error banner.

export class SetUpError extends Error {}

/** The newest banner's decoded values, as the page put them in its data-* attributes. */
export async function newestBanner(page) {
  return page.evaluate(() => {
    const banner = document.querySelector("#banners .banner");
    if (!banner) return undefined;
    return {
      ...banner.dataset,
      text: banner.querySelector(".banner-message")?.textContent ?? "",
    };
  });
}

/** One browser tab, signed in or not. */
export class Person {
  static async open(demo, name) {
    const page = await demo.context.newPage();
    demo.pages.push(page);
    await page.goto(`${demo.base}/`);
    return new Person(page, name === undefined ? "" : `${demo.prefix}-${name}`);
  }

  constructor(page, id) {
    this.page = page;
    this.id = id;
    this.loginToken = "";
  }

  /** Fills `form` (its inputs by name; other inputs back to their defaults),
   * presses the button with `choice` (or its only one) and waits for the
   * outcome: `{ ok }`, or `{ ok: false, banner, highlighted, retryText }`. */
  async submit(form, fields = {}, choice) {
    const page = this.page;
    await page.evaluate((id) => document.getElementById(id).reset(), form);
    for (const [name, value] of Object.entries(fields)) {
      const input = page.locator(`#${form} [name="${name}"]`);
      const kind = await input.evaluate((element) => element.type ?? element.tagName);
      if (kind === "checkbox") await input.setChecked(Boolean(value));
      else if (kind === "select-one") await input.selectOption(String(value));
      else if (kind === "file") await input.setInputFiles(value);
      else await input.fill(String(value));
    }
    const seq = Number(await page.locator("#status").getAttribute("data-seq"));
    const button = choice === undefined ? `#${form} button[type=submit]` : `#${form} button[value="${choice}"]`;
    await page.click(button);
    await page.waitForFunction((before) => Number(document.getElementById("status").dataset.seq) > before, seq);
    return this.outcome(form);
  }

  async outcome(form) {
    const page = this.page;
    const outcome = await page.locator("#status").getAttribute("data-outcome");
    if (outcome === "ok") return { ok: true };
    return this.failure(form);
  }

  /** The newest banner, and what the page marked on `form` with it. */
  async failure(form) {
    const page = this.page;
    const highlighted = form === undefined ? "" : await page.evaluate(
      (id) => [...document.querySelectorAll(`#${id} [aria-invalid="true"]`)].map((input) => input.name).join(","),
      form,
    );
    const retryText = await page.evaluate(() => document.querySelector("#banners .banner .banner-retry")?.textContent ?? "");
    return { ok: false, banner: await newestBanner(page), highlighted, retryText };
  }

  /** Like `submit`, for a step that must succeed. */
  async setUp(form, fields, choice) {
    const outcome = await this.submit(form, fields, choice);
    if (!outcome.ok) {
      throw new SetUpError(`${form}${choice ? `/${choice}` : ""}: ${outcome.banner?.reason ?? "?"} ${outcome.banner?.text ?? ""}`);
    }
  }

  async signUp() {
    await this.setUp("sign-up", { user_id: this.id });
    this.loginToken = await this.page.locator("#login-token-out").textContent();
  }

  async logIn() {
    await this.setUp("log-in", { user_id: this.id, login_token: this.loginToken });
  }

  async authorization() {
    return this.page.locator("#session-authorization").inputValue();
  }

  /** Creates a channel named `name` in this scenario and opens it. */
  async create(demo, name, { type = 1, members = [], code = "", max = 0, reuse = false } = {}) {
    const id = `${demo.prefix}-${name}`;
    await this.setUp("create-channel", {
      channel_id: id,
      channel_type: type,
      member_ids: members.map((member) => member.id).join(","),
      invitation_code: code,
      max_members: max,
      reuse_existing: reuse,
    });
    return id;
  }

  open(channelId) {
    return this.submit("join-channel", { channel_id: channelId }, "open");
  }

  async openForSure(channelId) {
    await this.setUp("join-channel", { channel_id: channelId }, "open");
  }

  send(text, mentions = []) {
    return this.submit("send-message", { text, mentioned_user_ids: mentions.map((m) => m.id).join(",") });
  }

  block(other, choice = "block") {
    return this.submit("block", { user_id: other.id }, choice);
  }

  moderate(choice, member) {
    return this.submit("moderate", member === undefined ? {} : { user_id: member.id }, choice);
  }
}

/** A person signed up and logged in, in a tab of their own. */
export async function signedUp(demo, name) {
  const person = await Person.open(demo, name);
  await person.signUp();
  await person.logIn();
  return person;
}
