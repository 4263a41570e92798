// The page's own words in the browser's language: Korean or English. Error
// messages come from the server, in the LocalizedMessage it sent.

const english = {
  title: "Chat demo",
  skipToChat: "Skip to the chat",
  signedOut: "Not signed in",
  signedIn: "Signed in as {0}",
  errors: "Errors",
  account: "Account",
  signUp: "Sign up",
  userId: "User ID",
  nickname: "Nickname",
  loginToken: "Login token",
  logIn: "Log in",
  session: "Session",
  authorization: "Authorization header",
  useSession: "Use this session",
  logOut: "Log out",
  deactivate: "Deactivate account",
  deleteAccount: "Delete account",
  blocking: "Blocking",
  block: "Block",
  unblock: "Unblock",
  channels: "Channels",
  createChannel: "New channel",
  channelId: "Channel ID",
  channelName: "Name",
  channelType: "Who may join",
  public: "Anyone (public)",
  private: "Invited members (private)",
  invitationOnly: "Anyone with the code",
  invitationCode: "Invitation code",
  invitationCodeOptional: "Invitation code (if it has one)",
  members: "Members (comma-separated IDs)",
  maxMembers: "Most members (0 for 100)",
  reuse: "Reuse a channel with these members",
  create: "Create",
  joinChannel: "Join or open",
  join: "Join",
  open: "Open",
  myChannels: "My channels",
  noChannel: "No channel open",
  channelInfo: "Owner {0} · {1} members{2}",
  frozen: " · frozen",
  message: "Message",
  mentions: "Mention (comma-separated IDs)",
  send: "Send",
  file: "File (at most 15 MiB)",
  upload: "Upload",
  invite: "Invite (comma-separated IDs)",
  inviteButton: "Invite",
  ownerTools: "Owner tools",
  member: "Member ID",
  remove: "Remove",
  ban: "Ban",
  mute: "Mute",
  transfer: "Make owner",
  freeze: "Freeze channel",
  unfreeze: "Unfreeze channel",
  leave: "Leave channel",
  delete: "Delete",
  dismiss: "Dismiss",
  retryIn: "Retry in {0} s",
  retryNow: "You can retry now",
  requestId: "Request ID",
  checkField: "Check {0}: {1}",
  resource: "{0} {1}",
  notChatError: "The call failed: {0}",
  done: "Done: {0}",
  attached: "Attached {0}",
};

export type Phrase = keyof typeof english;

const korean: Record<Phrase, string> = {
  title: "채팅 데모",
  skipToChat: "채팅으로 건너뛰기",
  signedOut: "로그인하지 않음",
  signedIn: "{0}(으)로 로그인함",
  errors: "오류",
  account: "계정",
  signUp: "가입",
  userId: "사용자 ID",
  nickname: "닉네임",
  loginToken: "로그인 토큰",
  logIn: "로그인",
  session: "세션",
  authorization: "Authorization 헤더",
  useSession: "이 세션 사용",
  logOut: "로그아웃",
  deactivate: "계정 비활성화",
  deleteAccount: "계정 삭제",
  blocking: "차단",
  block: "차단",
  unblock: "차단 해제",
  channels: "채널",
  createChannel: "새 채널",
  channelId: "채널 ID",
  channelName: "이름",
  channelType: "가입 조건",
  public: "누구나 (공개)",
  private: "초대된 멤버 (비공개)",
  invitationOnly: "초대코드가 있는 사람",
  invitationCode: "초대코드",
  invitationCodeOptional: "초대코드 (있는 경우)",
  members: "멤버 (쉼표로 구분한 ID)",
  maxMembers: "최대 인원 (0이면 100)",
  reuse: "같은 멤버의 채널이 있으면 재사용",
  create: "만들기",
  joinChannel: "가입 또는 열기",
  join: "가입",
  open: "열기",
  myChannels: "내 채널",
  noChannel: "열린 채널 없음",
  channelInfo: "주인 {0} · 멤버 {1}명{2}",
  frozen: " · 프리징됨",
  message: "메시지",
  mentions: "멘션 (쉼표로 구분한 ID)",
  send: "보내기",
  file: "파일 (최대 15 MiB)",
  upload: "올리기",
  invite: "초대 (쉼표로 구분한 ID)",
  inviteButton: "초대",
  ownerTools: "주인 도구",
  member: "멤버 ID",
  remove: "내보내기",
  ban: "차단(ban)",
  mute: "mute",
  transfer: "주인으로 지정",
  freeze: "채널 프리징",
  unfreeze: "프리징 해제",
  leave: "채널 나가기",
  delete: "삭제",
  dismiss: "닫기",
  retryIn: "{0}초 후 재시도",
  retryNow: "지금 재시도할 수 있습니다",
  requestId: "요청 ID",
  checkField: "{0} 확인: {1}",
  resource: "{0} {1}",
  notChatError: "호출 실패: {0}",
  done: "완료: {0}",
  attached: "{0} 첨부함",
};

/** The browser's preferred languages, most preferred first. */
export const browserLanguages: readonly string[] =
  navigator.languages.length > 0 ? navigator.languages : [navigator.language];

const inKorean = (browserLanguages[0] ?? "en").toLowerCase().split("-")[0] === "ko";

/** The page's language tag. */
export const pageLanguage = inKorean ? "ko" : "en";

/** `phrase` in the page's language, with `{0}`, `{1}`... filled in. */
export function t(phrase: Phrase, ...values: readonly (string | number)[]): string {
  const text = (inKorean ? korean : english)[phrase];
  return text.replace(/\{(\d)\}/g, (_, index: string) => String(values[Number(index)] ?? ""));
}

/** Writes every `data-i18n` element's phrase into it. */
export function translatePage(root: ParentNode = document): void {
  document.documentElement.lang = pageLanguage;
  for (const element of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n as Phrase);
  }
}
