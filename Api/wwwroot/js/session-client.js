// @ts-check
// A browser client of the session socket (docs/protocol.md): authenticates with its first message, resumes
// after a drop with ?lastSeq and exponential backoff, and matches answers to requests by "ref".

/**
 * @typedef {object} TaskView
 * @property {string} id
 * @property {"sleep" | "cpu"} kind
 * @property {"queued" | "running" | "succeeded" | "failed" | "cancelled" | "interrupted"} status
 * @property {number} progress 0 to 100
 * @property {number | null} seconds
 * @property {number | null} work
 * @property {string | null} result
 * @property {string | null} error
 *
 * @typedef {{ type: string, seq: number, at: string, task: TaskView }} TaskEvent
 * @typedef {{ type: "welcome", session: string, seq: number, replay: number }} Welcome
 * @typedef {{ type: "reset", seq: number, reason: string, tasks: TaskView[] }} Reset
 * @typedef {{ kind: "sleep", seconds: number } | { kind: "cpu", work: number }} TaskKind
 * @typedef {TaskKind & { onDisconnect?: { cancelAfterSeconds: number }, idempotencyKey?: string }} TaskStart
 * @typedef {"connecting" | "open" | "reconnecting" | "closed"} ConnectionState
 *
 * @typedef {object} SessionClientOptions
 * @property {string} sessionId
 * @property {string | null} [token] the resume token; null for sessions created by /process or /ws
 * @property {string} [baseUrl] the front end, e.g. "http://localhost:5000"; defaults to the page's origin
 * @property {number | null} [lastSeq] resume after this event; null receives only new events
 * @property {number} [initialDelayMs] first reconnect delay, doubled per failed attempt
 * @property {number} [maxDelayMs] the longest reconnect delay
 * @property {number} [requestTimeoutMs] how long a request waits for its answer
 */

/** Closes after which reconnecting cannot help: the session ended, or the server refused this client. */
const FINAL_CLOSE_CODES = new Set([1000, 1003, 1008, 1009]);

/** A request the server answered with {"type":"error"}: status is what HTTP would have answered. */
export class ProtocolError extends Error {
  /** @param {{ status: number, code: string, detail: string, field?: string | null }} message */
  constructor(message) {
    super(message.detail);
    this.name = "ProtocolError";
    this.status = message.status;
    this.code = message.code;
    this.field = message.field ?? null;
  }
}

/**
 * Events (CustomEvent, payload in `detail`): "state" {state, attempt, delayMs, code, reason},
 * "welcome" {welcome, resumedAfter}, "reset" {reset, resumedAfter}, "event" {event}, "unmatched" {message}.
 */
export class SessionClient extends EventTarget {
  /** @type {WebSocket | null} */ #socket = null;
  /** @type {Map<string, { resolve: (value: any) => void, reject: (error: Error) => void, timer: ReturnType<typeof setTimeout> }>} */
  #pending = new Map();
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #retryTimer;
  /** @type {ConnectionState} */ #state = "closed";
  #attempt = 0;
  #nextRef = 1;
  #stopped = true;
  /** @type {number | null} */ #lastSeq;
  /** @type {WebSocket | null} */ #dropped = null;

  /** @param {SessionClientOptions} options */
  constructor(options) {
    super();
    this.sessionId = options.sessionId;
    this.token = options.token ?? null;
    this.baseUrl = options.baseUrl ?? globalThis.location.origin;
    this.#lastSeq = options.lastSeq ?? null;
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /** The seq of the last event received: what a reconnect resumes after. */
  get lastSeq() { return this.#lastSeq; }

  /** @returns {ConnectionState} */
  get state() { return this.#state; }

  /** Opens the socket; reconnects by itself until close() or a final close code. */
  start() {
    this.#stopped = false;
    this.#attempt = 0;
    this.#open();
  }

  /** Closes for good. */
  close() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close(1000, "Closed by the client");
    this.#setState("closed", {});
  }

  /** Drops the socket as a lost network would; the client reconnects and resumes. */
  drop() {
    this.#dropped = this.#socket;
    this.#socket?.close(4000, "Dropped by the client");
  }

  /** Skips the wait before the next reconnect attempt. */
  reconnectNow() {
    if (this.#state === "reconnecting" && this.#socket === null) {
      clearTimeout(this.#retryTimer);
      this.#open();
    }
  }

  /** @param {string} data @returns {Promise<{ type: "echo", data: string }>} */
  echo(data) { return this.request({ type: "echo", data }); }

  /** @param {TaskStart} task @returns {Promise<{ type: "task.accepted", task: TaskView, replayed: boolean }>} */
  startTask(task) { return this.request({ type: "task.start", ...task }); }

  /** @param {string} id @returns {Promise<{ type: "task.cancel.result", id: string, outcome: string, task: TaskView | null }>} */
  cancelTask(id) { return this.request({ type: "task.cancel", id }); }

  /**
   * Sends a request and resolves with the answer carrying its ref; an {"type":"error"} answer rejects with a
   * ProtocolError. A request in flight when the socket drops rejects: its answer may never come.
   * @param {Record<string, unknown>} message
   * @returns {Promise<any>}
   */
  request(message) {
    const socket = this.#socket;
    if (this.#state !== "open" || socket === null) {
      return Promise.reject(new Error(`Not connected (${this.#state}).`));
    }
    const ref = `r${this.#nextRef++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(ref);
        reject(new Error(`No answer to ${message.type} within ${this.requestTimeoutMs} ms.`));
      }, this.requestTimeoutMs);
      this.#pending.set(ref, { resolve, reject, timer });
      socket.send(JSON.stringify({ ...message, ref }));
    });
  }

  #open() {
    const query = this.#lastSeq === null ? "" : `?lastSeq=${this.#lastSeq}`;
    const url = new URL(`/sessions/${encodeURIComponent(this.sessionId)}/ws${query}`, this.baseUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const resumedAfter = this.#lastSeq;
    const socket = new WebSocket(url);
    this.#socket = socket;
    this.#setState(this.#attempt === 0 ? "connecting" : "reconnecting", { attempt: this.#attempt });
    socket.onopen = () => {
      if (this.token !== null) socket.send(JSON.stringify({ type: "auth", token: this.token }));
    };
    socket.onmessage = (message) => this.#receive(JSON.parse(message.data), resumedAfter);
    socket.onclose = (close) => this.#closed(socket, close.code, close.reason);
  }

  /** @param {any} message @param {number | null} resumedAfter */
  #receive(message, resumedAfter) {
    if (message.type === "welcome") {
      this.#lastSeq ??= message.seq;
      this.#attempt = 0;
      this.#setState("open", {});
      this.#emit("welcome", { welcome: message, resumedAfter });
    } else if (message.type === "reset") {
      this.#lastSeq = message.seq;
      this.#attempt = 0;
      this.#setState("open", {});
      this.#emit("reset", { reset: message, resumedAfter });
    } else if (typeof message.seq === "number" && message.task) {
      // Resuming guarantees no repeat; the check keeps a server bug from showing an event twice.
      if (this.#lastSeq !== null && message.seq <= this.#lastSeq) return;
      this.#lastSeq = message.seq;
      this.#emit("event", { event: message });
    } else if (message.ref !== undefined && this.#pending.has(message.ref)) {
      const pending = this.#pending.get(message.ref);
      this.#pending.delete(message.ref);
      clearTimeout(pending?.timer);
      if (message.type === "error") pending?.reject(new ProtocolError(message));
      else pending?.resolve(message);
    } else {
      this.#emit("unmatched", { message });
    }
  }

  /** @param {WebSocket} socket @param {number} code @param {string} reason */
  #closed(socket, code, reason) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new Error(`The socket closed (${code}) before the answer came.`));
    }
    this.#pending.clear();
    if (this.#stopped) return;
    // The server answers a drop's close with 1000; the drop still means "resume".
    const final = socket !== this.#dropped && FINAL_CLOSE_CODES.has(code) && !reason.startsWith("Too slow");
    this.#dropped = null;
    if (final) {
      this.#stopped = true;
      this.#setState("closed", { code, reason });
      return;
    }
    // Full jitter keeps many clients of a restarted front end from reconnecting in step.
    const ceiling = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** this.#attempt);
    const delayMs = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    this.#attempt += 1;
    this.#setState("reconnecting", { attempt: this.#attempt, delayMs, code, reason });
    this.#retryTimer = setTimeout(() => this.#open(), delayMs);
  }

  /** @param {ConnectionState} state @param {Record<string, unknown>} detail */
  #setState(state, detail) {
    this.#state = state;
    this.#emit("state", { state, ...detail });
  }

  /** @param {string} type @param {unknown} detail */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
