// What every page of the host shares: the catalogue's texts, the API with the page's cookie and
// its CSRF header, and the event stream that reconnects and resyncs by itself.
// Plain ES module, no build step, no third-party code (docs/web.md).

const LANG_KEY = "meetingapp.lang";
let texts = {};

export function lang() {
  const chosen = localStorage.getItem(LANG_KEY);
  return chosen === "en" ? "en" : "vi"; // Vietnamese unless English was chosen
}

export async function loadTexts(which = lang()) {
  const response = await fetch(`/api/texts/${which}`, { credentials: "same-origin" });
  texts = await response.json();
  document.documentElement.lang = which;
}

export async function switchLanguage() {
  localStorage.setItem(LANG_KEY, lang() === "vi" ? "en" : "vi");
  await loadTexts();
}

// A text of the catalogue with its {named} placeholders filled.
export function t(key, params = {}) {
  const text = texts[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// Every element with a data-t attribute (a catalogue key) shows that text; with data-t-attr
// (e.g. "placeholder") the text goes into that attribute.
export function applyTexts(root = document) {
  for (const el of root.querySelectorAll("[data-t]")) {
    const attr = el.dataset.tAttr;
    if (attr) el.setAttribute(attr, t(el.dataset.t));
    else el.textContent = t(el.dataset.t);
  }
}

export class ApiProblem extends Error {
  constructor(status, detail, code) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

// One command or query. The token travels only in the HttpOnly cookie; the custom header is
// the CSRF proof the host requires of cookie-authenticated writes. Errors are the host's
// problem details, whose `detail` is already in the page's language.
export async function api(method, path, body) {
  const headers = { "Accept-Language": lang(), "X-Meetingapp-Csrf": "1" };
  const binary = body instanceof Blob; // a camera frame, sent as it is
  if (body !== undefined) headers["Content-Type"] = binary ? body.type : "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      cache: "no-store",
      body: body === undefined || binary ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiProblem(0, t("web.network_error"), "network");
  }
  if (response.ok) return response.status === 204 ? null : response.json();
  let problem = {};
  try {
    problem = await response.json();
  } catch (err) {
    problem = {};
  }
  throw new ApiProblem(
    response.status,
    problem.detail || t("web.error_status", { status: response.status }),
    problem.code || "http",
  );
}

// A random id for an idempotent command (a retry after a lost answer is the same command).
export function commandId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The session's event stream over the page's cookie. Reconnects by itself (0.5 s, doubling to
// 5 s) and asks only for what it missed (`after=` the last sequence number seen).
//   onMessage(msg): every event, caption, checkpoint, snapshot
//   onState(state): "live" | "lost" | "unauthorised" | "gone"
export class Stream {
  constructor(sessionId, { onMessage, onState }) {
    this.sessionId = sessionId;
    this.onMessage = onMessage;
    this.onState = onState;
    this.lastSeq = -1;
    this.delay = 500;
    this.stopped = false;
    this.state = "connecting";
    this.connect();
  }

  url() {
    const q = new URLSearchParams({ session_id: this.sessionId, after: String(this.lastSeq) });
    return `wss://${location.host}/api/ws?${q}`;
  }

  connect() {
    if (this.stopped) return;
    const ws = new WebSocket(this.url());
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.delay = 500;
      this.setState("live");
    };
    ws.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if ((msg.type === "event" || msg.type === "snapshot") && msg.seq > this.lastSeq) {
        this.lastSeq = msg.seq;
      }
      this.onMessage(msg);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws || this.stopped) return;
      if (e.code === 4401) return this.setState("unauthorised");
      if (e.code === 4404) return this.setState("gone");
      if (opened || this.state !== "lost") this.setState("lost");
      // a refused handshake looks like a network failure (1006): ask the host whether this
      // device is still paired before trying again
      const retry = () => setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 5000);
      if (opened) return retry();
      fetch("/api/me", { credentials: "same-origin", cache: "no-store" }).then(
        (r) => (r.status === 401 ? this.setState("unauthorised") : retry()),
        retry,
      );
    };
  }

  setState(state) {
    this.state = state;
    this.onState(state);
  }

  stop() {
    this.stopped = true;
    if (this.ws) this.ws.close();
  }
}

// Run `fn` once, `ms` after the last of a burst of calls.
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// An element with a class and text (text via textContent: never parsed as HTML).
export function el(tag, className = "", text = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
