// The hall display in a browser (docs/web.md). It decides nothing: what it shows is the host's
// own view (GET /api/display, projected from the host's state by server/display_view.py: the
// vote's result by meetingapp.results, the quorum by the body's rule, texts from the
// catalogue), re-read whenever the event stream says something changed. Live captions come
// on the stream. Texts: the catalogue (/api/texts/vi|en). ?lang=en: English; ?session=ID: that
// session rather than the one the host says is current; ?kiosk: no fullscreen hint.
import { api, loadTexts, Stream, t } from "/common/web.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const lang = params.get("lang") === "en" ? "en" : "vi";
const KEEP_FINAL_MS = 20000; // a final caption stays this long (as on the Qt display)
const POLL_MS = 10000; // the view is re-read this often anyway: resync and liveness
const CURSOR_IDLE_MS = 3000;

let view = null;
let stream = null;
let online = true;
let refreshTimer = null;
let deadline = null; // performance.now() (ms) when the speaker's time is up
let caption = { speech: null, timer: null };

// --- talking to the host ----------------------------------------------------------------------

async function refresh() {
  refreshTimer = null;
  let v;
  try {
    const query = new URLSearchParams({ lang });
    if (params.get("session")) query.set("session_id", params.get("session")); // pinned
    v = await api("GET", "/api/display?" + query);
  } catch (err) {
    if (err.status === 401 || err.status === 403) showPairing();
    else if (err.status === 404) showIdle(err.message); // ?session= names no session
    else setOnline(false);
    return;
  }
  setOnline(true);
  if (!stream || stream.sessionId !== v.session_id) follow(v.session_id);
  render(v);
}

function soon() {
  if (refreshTimer === null) refreshTimer = setTimeout(refresh, 80);
}

function follow(sessionId) {
  if (stream) stream.stop();
  stream = null;
  clearCaption();
  if (!sessionId) return;
  stream = new Stream(sessionId, {
    onMessage(msg) {
      if (msg.type === "caption") onCaption(msg);
      else if (msg.type === "event" || msg.type === "snapshot") soon();
    },
    onState(state) {
      if (state === "live") soon(); // back: resync the whole view
      else if (state === "lost") setOnline(false);
      else if (state === "unauthorised") showPairing();
      else if (state === "gone") soon(); // the session is no more: the host says which is now
    },
  });
}

// --- what the screen shows --------------------------------------------------------------------

function text(id, value) {
  const el = $(id);
  if (el.textContent !== value) el.textContent = value;
}

function render(v) {
  view = v;
  $("pair").hidden = true;
  $("screen").hidden = false;
  if (!v.session_id) {
    showIdle(t("web.display.no_session"));
    return;
  }
  $("idle").hidden = true;
  text("body", v.body);
  text("title", v.title);
  text("item", v.item);
  text("speaker", v.speaker ? v.speaker.text : "");
  const left = v.speaker ? v.speaker.left_s : null;
  deadline = typeof left === "number" ? performance.now() + left * 1000 : null;
  if (caption.speech && v.speaker && v.speaker.speech_id !== caption.speech) clearCaption();
  tick();
  text("quorum", v.quorum.text);
  $("quorum").classList.toggle("short", !v.quorum.met);
  renderVote(v.vote);
}

function showIdle(message) {
  $("pair").hidden = true;
  $("screen").hidden = false;
  for (const id of ["body", "title", "item", "speaker", "quorum"]) text(id, "");
  deadline = null;
  tick();
  $("vote").hidden = true;
  $("idle").hidden = false;
  text("idle", message);
}

function renderVote(vote) {
  const box = $("vote");
  box.hidden = !vote;
  if (!vote) return;
  box.className = vote.state;
  box.dataset.motion = vote.motion_id;
  const verdict = $("verdict");
  if (vote.state === "open") {
    text("vote-title", vote.text); // never a running count of choices
    $("vote-lines").replaceChildren();
    verdict.hidden = true;
    return;
  }
  text("vote-title", vote.title);
  $("vote-lines").replaceChildren(
    ...vote.lines.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }),
  );
  verdict.hidden = false;
  verdict.textContent = vote.verdict;
  verdict.className = vote.passed ? "passed" : "failed";
}

const pad = (n) => String(n).padStart(2, "0");

function tick() {
  const el = $("timer");
  if (!online || deadline === null) {
    text("timer", "");
    el.className = "";
    return;
  }
  const left = (deadline - performance.now()) / 1000;
  const seconds = Math.abs(Math.trunc(left));
  const clock = `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
  if (left <= 0) {
    text("timer", t("ui.time_is_up_x", { clock }));
    el.className = "over";
  } else {
    text("timer", `⏱ ${clock}`);
    el.className = left <= 60 ? "warn" : "";
  }
}

function onCaption(msg) {
  const current = view && view.speaker ? view.speaker.speech_id : null;
  if (current !== null && msg.speech_id !== current) return; // late words of an earlier speech
  const words = String(msg.text || "").split(/\s+/).filter(Boolean).join(" ");
  if (!words) {
    if (msg.final) clearCaption(); // nothing was said
    return; // a silent moment: the last words stay
  }
  clearTimeout(caption.timer);
  caption = {
    speech: msg.speech_id,
    timer: msg.final ? setTimeout(clearCaption, KEEP_FINAL_MS) : null,
  };
  text("caption-text", words);
  $("caption").hidden = false;
  $("caption").classList.toggle("final", !!msg.final);
}

function clearCaption() {
  clearTimeout(caption.timer);
  caption = { speech: null, timer: null };
  text("caption-text", "");
  $("caption").hidden = true;
}

// A display that loses the host says so, stops counting down, and hides a result it can no
// longer vouch for; everything comes back from the host once it answers again.
function setOnline(state) {
  if (state === online) return;
  online = state;
  $("lost").hidden = state;
  if (!state) {
    deadline = null;
    tick();
    if (view && view.vote && view.vote.state === "closed") {
      $("verdict").hidden = true;
      $("vote-lines").replaceChildren();
      text("vote-title", t("ui.waiting_to_reconnect"));
    }
  }
}

// --- pairing: a display-role code from the secretary ------------------------------------------

function showPairing() {
  follow(null);
  $("screen").hidden = true;
  $("lost").hidden = true;
  $("pair").hidden = false;
  $("pair-code").focus();
}

async function pair(event) {
  event.preventDefault();
  const code = $("pair-code").value.trim();
  $("pair-error").textContent = "";
  if (!code) {
    $("pair-error").textContent = t("web.display.enter_the_code");
    return;
  }
  try {
    const device = await api("POST", "/api/pair", {
      code,
      device_name: t("web.display.device_name"),
    });
    $("pair-code").value = "";
    if (device.role !== "display") {
      $("pair-error").textContent = t("web.display.not_a_display"); // the secretary revokes it
      return;
    }
  } catch (err) {
    $("pair-error").textContent = err.message;
    return;
  }
  await refresh();
}

// --- fullscreen and kiosk ---------------------------------------------------------------------

function fullscreen() {
  const root = document.documentElement;
  if (!document.fullscreenElement && root.requestFullscreen) {
    root.requestFullscreen({ navigationUI: "hide" }).catch(() => {});
  }
  if (navigator.wakeLock) navigator.wakeLock.request("screen").catch(() => {}); // no sleeping TV
}

function showHint() {
  $("hint").hidden =
    !!document.fullscreenElement || params.has("kiosk") || !document.fullscreenEnabled;
}

let idle = null;
function wake() {
  document.body.classList.remove("idle-cursor");
  clearTimeout(idle);
  idle = setTimeout(() => document.body.classList.add("idle-cursor"), CURSOR_IDLE_MS);
}

async function start() {
  await loadTexts(lang);
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  document.title = t("ui.hall_display");
  $("pair").addEventListener("submit", pair);
  document.addEventListener("pointerdown", (e) => {
    if (!e.target.closest("#pair")) fullscreen();
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("#pair")) return;
    if (e.key === "f" || e.key === "F" || e.key === "Enter") fullscreen();
  });
  document.addEventListener("fullscreenchange", showHint);
  document.addEventListener("pointermove", wake);
  wake();
  setInterval(tick, 250);
  setInterval(() => {
    if ($("pair").hidden) refresh();
  }, POLL_MS);
  showHint();
  await refresh();
}

start();
