// @ts-check
// The console page: opens a session with SessionClient and shows its tasks, events and connection.
import { SessionClient } from "./session-client.js";
import { TaskList } from "./task-list.js";

const MAX_LOG_ENTRIES = 500;
const STORAGE_KEY = "sessions.console";

/** @param {string} id */
const byId = (id) => /** @type {any} */ (document.getElementById(id));

const ui = {
  create: byId("create-session"),
  openForm: byId("open-session"),
  id: byId("session-id"),
  token: byId("session-token"),
  tokenNote: byId("token-note"),
  state: byId("connection-state"),
  lastSeq: byId("last-seq"),
  drop: byId("drop-connection"),
  reconnect: byId("reconnect-now"),
  notice: byId("notice"),
  taskForm: byId("start-task"),
  kind: byId("task-kind"),
  amountLabel: byId("amount-label"),
  amount: byId("task-amount"),
  cancelAfter: byId("task-cancel-after"),
  echoForm: byId("echo"),
  echoText: byId("echo-text"),
  echoAnswer: byId("echo-answer"),
  events: byId("events"),
};

/** @type {SessionClient | null} */
let client = null;
const tasks = new TaskList(byId("tasks"), (id) => cancelTask(id));

/** @param {string} text @param {string} [className] */
function log(text, className) {
  const item = document.createElement("li");
  if (className) item.className = className;
  item.textContent = text;
  ui.events.append(item);
  while (ui.events.children.length > MAX_LOG_ENTRIES) ui.events.firstElementChild.remove();
  ui.events.scrollTop = ui.events.scrollHeight;
  return item;
}

/** @param {string} text */
function notify(text) {
  ui.notice.textContent = text;
  log(text, "notice");
}

/** @param {import("./session-client.js").TaskEvent} event */
function showEvent(event) {
  const item = log(` ${event.type} task #${event.task.id} ${event.task.status} ${event.task.progress} %`);
  item.dataset.seq = String(event.seq);
  const seq = document.createElement("span");
  seq.className = "seq";
  seq.textContent = String(event.seq);
  item.prepend(seq);
  tasks.upsert(event.task);
}

let shownState = "closed";

/** @param {string} state @param {any} detail */
function showState(state, detail) {
  const wasOpen = shownState === "open";
  shownState = state;
  const text = {
    connecting: "connecting…",
    open: "connected",
    reconnecting: detail.delayMs === undefined
      ? `reconnecting (attempt ${detail.attempt})…`
      : `reconnecting in ${(detail.delayMs / 1000).toFixed(1)} s`,
    closed: "not connected",
  }[state];
  ui.state.textContent = text;
  ui.state.dataset.state = state;
  const open = state === "open";
  for (const button of [ui.taskForm.querySelector("button"), ui.echoForm.querySelector("button")]) button.disabled = !open;
  ui.drop.disabled = !open;
  ui.reconnect.disabled = state !== "reconnecting";
  if (state === "reconnecting" && wasOpen) {
    notify(`Connection lost (${detail.code}${detail.reason ? `: ${detail.reason}` : ""}); reconnecting after seq ${client?.lastSeq ?? "–"}.`);
  } else if (state === "closed" && detail.code !== undefined) {
    notify(`Closed by the server (${detail.code}${detail.reason ? `: ${detail.reason}` : ""}).`);
  }
}

/** @param {string} id @param {string} token */
function openSession(id, token) {
  client?.close();
  tasks.clear();
  ui.events.replaceChildren();
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ id, token }));
  let connectedBefore = false;
  // lastSeq 0 replays the session's kept history, so an opened session shows its tasks.
  const opened = new SessionClient({ sessionId: id, token: token || null, lastSeq: 0, maxDelayMs: 5000 });
  opened.addEventListener("state", (e) => showState(e.detail.state, e.detail));
  opened.addEventListener("event", (e) => {
    showEvent(e.detail.event);
    ui.lastSeq.textContent = String(opened.lastSeq);
  });
  opened.addEventListener("welcome", (e) => {
    const { welcome, resumedAfter } = e.detail;
    notify(connectedBefore
      ? `Reconnected: resumed after seq ${resumedAfter}, ${welcome.replay} missed event(s) replayed.`
      : `Connected to session ${welcome.session} (latest seq ${welcome.seq}, ${welcome.replay} event(s) replayed).`);
    connectedBefore = true;
    ui.lastSeq.textContent = String(opened.lastSeq);
  });
  opened.addEventListener("reset", (e) => {
    const { reset } = e.detail;
    notify(`Reset at seq ${reset.seq}: ${reset.reason} The task list was reloaded from the server.`);
    connectedBefore = true;
    tasks.replaceAll(reset.tasks);
    ui.lastSeq.textContent = String(opened.lastSeq);
  });
  client = opened;
  opened.start();
}

async function createSession() {
  ui.create.disabled = true;
  try {
    const response = await fetch("/sessions", { method: "POST" });
    if (!response.ok) throw new Error(`POST /sessions answered ${response.status}.`);
    const session = await response.json();
    ui.id.value = session.id;
    ui.token.value = session.resumeToken;
    ui.tokenNote.hidden = false;
    openSession(session.id, session.resumeToken);
  } catch (error) {
    notify(`Could not create a session: ${error instanceof Error ? error.message : error}`);
  } finally {
    ui.create.disabled = false;
  }
}

/** @param {string} id */
async function cancelTask(id) {
  try {
    const answer = await client?.cancelTask(id);
    if (answer?.outcome !== "cancelled") notify(`Task ${id}: ${answer?.outcome.replace("_", " ")}.`);
  } catch (error) {
    notify(`Cancelling task ${id} failed: ${error instanceof Error ? error.message : error}`);
  }
}

async function startTask() {
  const amount = Number(ui.amount.value);
  const spec = ui.kind.value === "sleep" ? { kind: "sleep", seconds: amount } : { kind: "cpu", work: amount };
  const cancelAfter = ui.cancelAfter.value === "" ? null : Number(ui.cancelAfter.value);
  try {
    await client?.startTask(cancelAfter === null ? spec : { ...spec, onDisconnect: { cancelAfterSeconds: cancelAfter } });
  } catch (error) {
    notify(`The task was not started: ${error instanceof Error ? error.message : error}`);
  }
}

ui.create.addEventListener("click", createSession);
ui.openForm.addEventListener("submit", (/** @type {Event} */ e) => {
  e.preventDefault();
  ui.tokenNote.hidden = true;
  openSession(ui.id.value.trim(), ui.token.value.trim());
});
ui.kind.addEventListener("change", () => {
  const sleep = ui.kind.value === "sleep";
  ui.amountLabel.textContent = sleep ? "Seconds" : "Rounds";
  ui.amount.value = sleep ? "3" : "2000000";
  ui.amount.min = sleep ? "0.001" : "1";
  ui.amount.step = sleep ? "any" : "1";
});
ui.taskForm.addEventListener("submit", (/** @type {Event} */ e) => {
  e.preventDefault();
  startTask();
});
ui.echoForm.addEventListener("submit", async (/** @type {Event} */ e) => {
  e.preventDefault();
  try {
    ui.echoAnswer.textContent = (await client?.echo(ui.echoText.value))?.data ?? "";
  } catch (error) {
    ui.echoAnswer.textContent = `No echo: ${error instanceof Error ? error.message : error}`;
  }
});
ui.drop.addEventListener("click", () => client?.drop());
ui.reconnect.addEventListener("click", () => client?.reconnectNow());

const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
if (saved?.id) {
  ui.id.value = saved.id;
  ui.token.value = saved.token ?? "";
  openSession(saved.id, saved.token ?? "");
}
