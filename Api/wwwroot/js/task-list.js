// @ts-check
// The session's tasks as a list with a progress bar and a cancel button each, kept current from events.

/** @typedef {import("./session-client.js").TaskView} TaskView */

const FINISHED = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

export class TaskList {
  /** @param {HTMLElement} list @param {(id: string) => void} onCancel */
  constructor(list, onCancel) {
    this.list = list;
    this.onCancel = onCancel;
  }

  clear() { this.list.replaceChildren(); }

  /** @param {TaskView[]} tasks newest first, as a reset carries them */
  replaceAll(tasks) {
    this.clear();
    for (const task of [...tasks].reverse()) this.upsert(task);
  }

  /** @param {TaskView} task */
  upsert(task) {
    const item = this.#itemFor(task.id) ?? this.#create(task);
    item.dataset.status = task.status;
    const progress = /** @type {HTMLProgressElement} */ (item.querySelector("progress"));
    progress.value = task.progress;
    progress.textContent = `${task.progress} %`;
    /** @type {HTMLElement} */ (item.querySelector(".status")).textContent = `${task.status} · ${task.progress} %`;
    /** @type {HTMLButtonElement} */ (item.querySelector("button")).disabled = FINISHED.has(task.status);
    /** @type {HTMLElement} */ (item.querySelector(".detail")).textContent = task.error ?? (task.result ? `result ${task.result}` : "");
  }

  /** @param {string} id */
  #itemFor(id) {
    return /** @type {HTMLElement | null} */ (this.list.querySelector(`li[data-task-id="${CSS.escape(id)}"]`));
  }

  /** @param {TaskView} task */
  #create(task) {
    const item = document.createElement("li");
    item.className = "task";
    item.dataset.taskId = task.id;
    const amount = task.kind === "sleep" ? `${task.seconds} s` : `${task.work} rounds`;
    const title = document.createElement("span");
    const name = document.createElement("strong");
    name.textContent = `#${task.id} ${task.kind}`;
    const status = document.createElement("span");
    status.className = "status";
    title.append(name, ` · ${amount} — `, status);
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = "Cancel";
    cancel.setAttribute("aria-label", `Cancel task ${task.id}`);
    cancel.addEventListener("click", () => this.onCancel(task.id));
    const progress = document.createElement("progress");
    progress.max = 100;
    progress.setAttribute("aria-label", `Task ${task.id} progress`);
    const detail = document.createElement("span");
    detail.className = "detail";
    item.append(title, cancel, progress, detail);
    this.list.prepend(item);
    return item;
  }
}
