// The hall display in a browser. It decides nothing: what it shows is the host's own view
// (GET /api/display, projected from the host's state by server/display_view.py: the vote's
// result by meetingapp.results, the quorum by the body's rule, the texts from the catalogue),
// re-read whenever the event stream says something changed. Captions come on the stream.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const lang = params.get("lang") === "en" ? "en" : "vi";
  const KEEP_FINAL_MS = 20000; // a final caption stays this long (as on the Qt display)
  const POLL_MS = 15000; // the view is re-read this often anyway: resync and liveness
  let texts = {};
  let view = null;
  let sessionId = null;
  let lastSeq = -1;
  let ws = null;
  let online = false;
  let retry = 0;
  let refreshTimer = null;
  let deadline = null; // performance.now() (ms) when the speaker's time is up
  let caption = { speech: null, text: "", final: false, timer: null };

  document.documentElement.lang = lang;

  // --- talking to the host ------------------------------------------------------------------

  async function getView() {
    const query = new URLSearchParams({ lang });
    if (sessionId) query.set("session_id", sessionId);
    const resp = await fetch("/api/display?" + query, {
      credentials: "same-origin",
      headers: { "Accept-Language": lang },
      cache: "no-store",
    });
    if (resp.status === 401 || resp.status === 403) {
      const err = new Error("unpaired");
      err.unpaired = true;
      throw err;
    }
    if (!resp.ok) throw new Error("HTTP " + resp.status);
    return resp.json();
  }

  async function refresh() {
    refreshTimer = null;
    try {
      const v = await getView();
      texts = v.texts || texts;
      if (!online) setOnline(true);
      if (v.session_id !== sessionId) {
        sessionId = v.session_id;
        lastSeq = -1;
        connect();
      }
      render(v);
    } catch (err) {
      if (err.unpaired) showPairing();
      else setOnline(false);
    }
  }

  function soon() {
    if (refreshTimer === null) refreshTimer = setTimeout(refresh, 80);
  }

  function connect() {
    if (ws) {
      ws.onclose = null;
      ws.close();
      ws = null;
    }
    if (!sessionId) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const query = new URLSearchParams({ session_id: sessionId });
    if (lastSeq >= 0) query.set("after", String(lastSeq));
    const sock = new WebSocket(scheme + "//" + location.host + "/api/ws?" + query);
    ws = sock;
    sock.onopen = () => {
      retry = 0;
      setOnline(true);
      soon();
    };
    sock.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch (_) {
        return;
      }
      if (msg.type === "caption") {
        onCaption(msg);
      } else if (msg.type === "snapshot" || msg.type === "event") {
        if (typeof msg.seq === "number") lastSeq = Math.max(lastSeq, msg.seq);
        soon();
      }
    };
    sock.onclose = (e) => {
      if (ws !== sock) return;
      ws = null;
      if (e.code === 4401) {
        showPairing(); // revoked or expired: pair again
        return;
      }
      setOnline(false);
      retry = Math.min(retry + 1, 5);
      setTimeout(() => {
        if (!ws) connect();
        soon();
      }, 500 * retry);
    };
  }

  // --- what the screen shows ----------------------------------------------------------------

  function text(id, value) {
    const el = $(id);
    if (el.textContent !== value) el.textContent = value;
  }

  function render(v) {
    view = v;
    $("pair").hidden = true;
    $("screen").hidden = false;
    document.title = texts.title || document.title;
    if (!v.session_id) {
      ["body", "title", "item", "speaker", "quorum", "timer"].forEach((id) => text(id, ""));
      $("vote").hidden = true;
      $("idle").hidden = false;
      text("idle", texts.no_session || "");
      return;
    }
    $("idle").hidden = true;
    text("body", v.body);
    text("title", v.title);
    text("item", v.item);
    text("speaker", v.speaker ? v.speaker.text : "");
    if (v.speaker && typeof v.speaker.left_s === "number") {
      deadline = performance.now() + v.speaker.left_s * 1000;
    } else {
      deadline = null;
    }
    if (caption.speech && v.speaker && v.speaker.speech_id !== caption.speech) clearCaption();
    tick();
    text("quorum", v.quorum.text);
    $("quorum").classList.toggle("short", !v.quorum.met);
    renderVote(v.vote);
  }

  function renderVote(vote) {
    const box = $("vote");
    box.hidden = !vote;
    if (!vote) return;
    box.className = vote.state;
    box.dataset.motion = vote.motion_id;
    const list = $("vote-lines");
    if (vote.state === "open") {
      text("vote-title", vote.text);
      list.replaceChildren();
      $("verdict").hidden = true;
      return;
    }
    text("vote-title", vote.title);
    list.replaceChildren(
      ...vote.lines.map((line) => {
        const li = document.createElement("li");
        li.textContent = line;
        return li;
      })
    );
    const verdict = $("verdict");
    verdict.hidden = false;
    verdict.textContent = vote.verdict;
    verdict.className = vote.passed ? "passed" : "failed";
  }

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function tick() {
    const el = $("timer");
    if (!online || deadline === null) {
      text("timer", "");
      el.className = "";
      return;
    }
    const left = (deadline - performance.now()) / 1000;
    const seconds = Math.abs(Math.trunc(left));
    const clock = pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
    if (left <= 0) {
      text("timer", (texts.time_is_up || "{clock}").replace("{clock}", clock));
      el.className = "over";
    } else {
      text("timer", "⏱ " + clock);
      el.className = left <= 60 ? "warn" : "";
    }
  }

  function onCaption(msg) {
    const current = view && view.speaker ? view.speaker.speech_id : null;
    if (current !== null && msg.speech_id !== current) return; // a late text of an earlier speech
    const words = String(msg.text || "").split(/\s+/).filter(Boolean).join(" ");
    if (!words) {
      if (msg.final) clearCaption();
      return; // a silent moment: the last words stay
    }
    clearTimeout(caption.timer);
    caption = { speech: msg.speech_id, text: words, final: !!msg.final, timer: null };
    if (caption.final) caption.timer = setTimeout(clearCaption, KEEP_FINAL_MS);
    text("caption-text", words);
    $("caption").hidden = false;
    $("caption").classList.toggle("final", caption.final);
  }

  function clearCaption() {
    clearTimeout(caption.timer);
    caption = { speech: null, text: "", final: false, timer: null };
    text("caption-text", "");
    $("caption").hidden = true;
  }

  function setOnline(state) {
    online = state;
    const lost = $("lost");
    lost.textContent = texts.lost || "";
    lost.hidden = state;
    if (!state) {
      deadline = null; // a dead host's speech is not counted down
      tick();
      if (view && view.vote && view.vote.state === "closed") {
        $("verdict").hidden = true;
        $("vote-lines").replaceChildren();
        text("vote-title", texts.waiting || "");
      }
    }
  }

  // --- pairing (a display-role code from the secretary) ---------------------------------------

  function showPairing() {
    if (ws) {
      ws.onclose = null;
      ws.close();
      ws = null;
    }
    $("screen").hidden = true;
    $("lost").hidden = true;
    $("pair").hidden = false;
    text("pair-title", texts.pair_title || "");
    text("pair-label", texts.pair_code || "");
    text("pair-button", texts.pair_button || "");
  }

  async function pair(event) {
    event.preventDefault();
    const code = $("pair-code").value;
    $("pair-error").textContent = "";
    try {
      await window.MeetingWeb.pair(code, "display", lang);
      sessionId = null;
      await refresh();
    } catch (err) {
      $("pair-error").textContent = err.message || String(err);
    }
  }

  // --- fullscreen and kiosk -------------------------------------------------------------------

  function fullscreen() {
    const root = document.documentElement;
    if (!document.fullscreenElement && root.requestFullscreen) {
      root.requestFullscreen({ navigationUI: "hide" }).catch(() => {});
    }
    if (navigator.wakeLock && navigator.wakeLock.request) {
      navigator.wakeLock.request("screen").catch(() => {}); // keep the TV from sleeping
    }
  }

  function showHint() {
    const hint = $("hint");
    hint.textContent = texts.fullscreen || "";
    hint.hidden = !!document.fullscreenElement || params.has("kiosk") || !document.fullscreenEnabled;
  }

  let idle = null;
  function wake() {
    document.body.classList.remove("idle-cursor");
    clearTimeout(idle);
    idle = setTimeout(() => document.body.classList.add("idle-cursor"), 3000);
  }

  async function start() {
    try {
      texts = await window.MeetingWeb.texts(lang, Object.keys(TEXT_KEYS).map((k) => TEXT_KEYS[k]));
      texts = Object.fromEntries(Object.entries(TEXT_KEYS).map(([k, key]) => [k, texts[key] || ""]));
    } catch (_) {
      texts = {};
    }
    $("pair").addEventListener("submit", pair);
    document.addEventListener("pointerdown", (e) => {
      if (!e.target.closest("#pair")) fullscreen();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "f" || e.key === "F") fullscreen();
    });
    document.addEventListener("fullscreenchange", showHint);
    document.addEventListener("pointermove", wake);
    wake();
    setInterval(tick, 250);
    setInterval(() => {
      if (!$("pair").hidden) return;
      refresh();
      if (!ws && sessionId) connect();
    }, POLL_MS);
    await refresh();
    showHint();
  }

  // catalogue keys of what the page shows before the host has answered (and when it is gone)
  const TEXT_KEYS = {
    lost: "ui.the_host_is_unreachable_what_is_shown_ma",
    waiting: "ui.waiting_to_reconnect",
    time_is_up: "ui.time_is_up_x",
    title: "ui.hall_display",
    fullscreen: "display.tap_fullscreen",
    no_session: "display.no_session",
    pair_title: "display.pair_title",
    pair_code: "display.pair_code",
    pair_button: "display.pair_button",
  };

  start();
})();
