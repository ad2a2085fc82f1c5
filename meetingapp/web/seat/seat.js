// The delegate's seat: pair, sign in, check in by PIN, the agenda, documents that follow the
// presenter, private notes, the floor, votes with receipts, live captions.
// The page keeps no copy of the session's rules: it shows the host's seat view
// (GET /api/sessions/{id}/seat) and reads it again whenever the event stream says something
// happened. Commands are the same API calls the Qt tablet makes.

import {
  api,
  applyTexts,
  commandId,
  debounce,
  el,
  loadTexts,
  Stream,
  switchLanguage,
  t,
} from "/common/web.js";

const $ = (id) => document.getElementById(id);
const VIEWS = ["pair-view", "login-view", "message-view", "seat-view"];
const PIN = /^\d{4,8}$/;

const seat = {
  me: null, // {device_id, role, delegate_id}
  sid: null,
  view: null, // the host's seat view
  stream: null,
  docId: null, // the document shown
  page: 1,
  receipts: {}, // motion id -> receipt text (this tablet only, memory only)
  commandIds: {}, // "motion:choice" -> command id (a retry is the same ballot)
  sending: new Set(),
  speechDeadline: null, // performance.now() seconds when the speaker's time runs out
  retry: null,
  faceBusy: false, // a face check-in is running (its button stays off)
};

function show(id) {
  for (const v of VIEWS) $(v).hidden = v !== id;
}

function message(text) {
  $("message").textContent = text;
  show("message-view");
}

function fail(target, err) {
  $(target).textContent = err && err.message ? err.message : String(err);
}

// --- start: who is this device? ---------------------------------------------------------------

// The QR on the delegate's card opens https://<host>/seat/#code=…: the code is filled in (the
// fragment never reaches a server or a log) and removed from the address bar.
function codeFromAddress() {
  const params = new URLSearchParams(location.hash.slice(1));
  const code = params.get("code");
  if (code) history.replaceState(null, "", location.pathname);
  return code;
}

async function start() {
  await loadTexts();
  applyTexts();
  document.title = t("web.seat.title");
  wire();
  const code = codeFromAddress();
  let me = null;
  try {
    me = await api("GET", "/api/me");
  } catch (err) {
    if (err.status !== 401) return message(err.message);
  }
  if (code || !me) {
    $("pair-code").value = code || "";
    show("pair-view");
    $(code ? "pair-button" : "pair-code").focus();
    return;
  }
  await proceed(me);
}

async function proceed(me) {
  seat.me = me;
  if (me.role !== "delegate") {
    return message(t("web.seat.not_a_delegate", { role: t(`role.${me.role}`) }));
  }
  const current = await api("GET", "/api/current-session");
  if (!current.session_id) {
    message(t("web.seat.no_session"));
    clearTimeout(seat.retry);
    seat.retry = setTimeout(() => proceed(me).catch(showError), 10000);
    return;
  }
  seat.sid = current.session_id;
  if (!me.delegate_id) return showLogin();
  openSeat();
}

function showError(err) {
  message(err.message || String(err));
}

async function pair(event) {
  event.preventDefault();
  const code = $("pair-code").value.trim();
  $("pair-error").textContent = "";
  if (!/^[0-9A-Za-z -]{10,20}$/.test(code)) {
    $("pair-error").textContent = t("web.seat.enter_the_code");
    return;
  }
  try {
    const paired = await api("POST", "/api/pair", {
      code,
      device_name: t("web.seat.device_name"),
    });
    $("pair-code").value = "";
    await proceed(paired);
  } catch (err) {
    fail("pair-error", err);
  }
}

async function showLogin() {
  const state = await api("GET", `/api/sessions/${seat.sid}/state`);
  const select = $("login-delegate");
  select.replaceChildren();
  const people = Object.values(state.delegates).sort((a, b) =>
    a.full_name.localeCompare(b.full_name, "vi"),
  );
  for (const d of people) {
    const option = el("option", "", d.full_name);
    option.value = d.id;
    select.append(option);
  }
  show("login-view");
}

async function login(event) {
  event.preventDefault();
  const pin = $("login-pin").value.trim();
  $("login-pin").value = "";
  if (!PIN.test(pin)) {
    $("login-error").textContent = t("web.seat.pin_format");
    return;
  }
  try {
    const bound = await api("POST", "/api/login", { delegate_id: $("login-delegate").value, pin });
    seat.me = { ...seat.me, delegate_id: bound.delegate_id };
    $("login-error").textContent = "";
    openSeat();
  } catch (err) {
    fail("login-error", err);
  }
}

// --- the seat ---------------------------------------------------------------------------------

function openSeat() {
  show("seat-view");
  if (seat.stream) seat.stream.stop();
  seat.stream = new Stream(seat.sid, { onMessage, onState });
  refresh();
}

const refreshSoon = debounce(() => refresh(), 120);

function onMessage(msg) {
  if (msg.type === "event" || msg.type === "snapshot") refreshSoon();
  else if (msg.type === "caption") $("caption").textContent = msg.text;
}

function onState(state) {
  const banner = $("banner");
  banner.hidden = state !== "lost";
  banner.textContent = t("ui.lost_the_host_what_you_see_may_be_out_of");
  document.body.classList.toggle("offline", state === "lost");
  if (state === "live") refresh(); // back: read the whole view again (resync)
  if (state === "lost") render(); // nothing can be sent: buttons off
  if (state === "unauthorised") {
    seat.stream.stop();
    show("pair-view");
  }
  if (state === "gone") proceed(seat.me).catch(showError);
}

async function refresh() {
  if (!seat.sid) return;
  try {
    const view = await api("GET", `/api/sessions/${seat.sid}/seat`);
    // two reads in flight may answer out of order: never go back to an older state
    if (seat.view && view.seq < seat.view.seq) return;
    seat.view = view;
    render();
  } catch (err) {
    if (err.status === 401) show("pair-view");
    // otherwise the stream's banner says the host is lost; the view stays as it was
  }
}

function allowed(action) {
  const live = seat.stream && seat.stream.state === "live";
  return live && seat.view.allowed.includes(action);
}

function render() {
  const v = seat.view;
  if (!v) return;
  $("session-title").textContent = `${v.session.body} — ${v.session.title}`;
  $("delegate-name").textContent = v.me.name;
  const presence = $("presence");
  presence.textContent = v.me.present ? t("ui.checked_in") : t("web.seat.not_checked_in");
  presence.classList.toggle("present", v.me.present);
  $("checkin").hidden = v.me.present || v.session.state !== "open";
  $("checkin-button").disabled = !allowed("check_in");
  if (!seat.faceBusy) $("face-button").disabled = !allowed("check_in");
  renderAgenda(v);
  renderDocuments(v);
  renderFloor(v);
  renderVote(v);
}

function renderAgenda(v) {
  const list = $("agenda");
  list.replaceChildren();
  for (const item of v.agenda) {
    const li = el("li", item.active ? "active" : item.state, `${item.order}. ${item.title}`);
    li.append(el("span", "state", t(`item_state.${item.state}`)));
    list.append(li);
  }
}

function renderDocuments(v) {
  const list = $("documents");
  list.replaceChildren();
  for (const doc of v.documents) {
    const li = el("li");
    const button = el("button", doc.id === seat.docId ? "doc current" : "doc");
    button.type = "button";
    button.textContent = [doc.number_symbol, doc.title].filter(Boolean).join(" ");
    button.addEventListener("click", () => {
      $("follow").checked = false;
      openDocument(doc.id, 1);
    });
    li.append(button);
    list.append(li);
  }
  if ($("follow").checked && v.presenter) openDocument(v.presenter.document_id, v.presenter.page);
  else showPage();
}

function openDocument(docId, page) {
  if (seat.docId !== docId) {
    seat.docId = docId;
    loadNotes();
  }
  seat.page = page;
  showPage();
}

function currentDoc() {
  return seat.view && seat.view.documents.find((d) => d.id === seat.docId);
}

function pageWidth() {
  const box = $("page-box");
  const wanted = Math.ceil(box.clientWidth * (window.devicePixelRatio || 1));
  return Math.max(480, Math.min(1920, wanted));
}

function showPage() {
  const doc = currentDoc();
  const img = $("page");
  img.hidden = !doc;
  $("no-document").hidden = Boolean(doc);
  $("doc-title").textContent = doc ? [doc.number_symbol, doc.title].filter(Boolean).join(" ") : "";
  $("zoom").disabled = !doc;
  $("prev").disabled = !doc || seat.page <= 1;
  $("next").disabled = !doc || seat.page >= doc.pages;
  $("page-no").textContent = doc ? t("web.seat.page_x_of_y", { page: seat.page, pages: doc.pages }) : "";
  for (const b of document.querySelectorAll("#documents .doc")) b.classList.remove("current");
  if (!doc) return;
  const pageUrl = (n) => `/api/documents/${doc.file_hash}/pages/${n}?w=${pageWidth()}`;
  const src = pageUrl(seat.page);
  if (img.getAttribute("src") !== src) {
    img.setAttribute("src", src);
    // the next page, fetched ahead into the browser's cache (presentations move forward)
    const next = seat.page + 1;
    if (next <= doc.pages) {
      img.addEventListener("load", () => (new Image().src = pageUrl(next)), { once: true });
    }
  }
  img.alt = t("web.seat.page_image", { page: seat.page, title: doc.title });
  img.dataset.page = String(seat.page);
  img.dataset.document = doc.id;
  const index = seat.view.documents.indexOf(doc);
  const buttons = document.querySelectorAll("#documents .doc");
  if (buttons[index]) buttons[index].classList.add("current");
}

function turn(delta) {
  const doc = currentDoc();
  if (!doc) return;
  $("follow").checked = false; // turning by hand stops following until ticked again
  seat.page = Math.max(1, Math.min(doc.pages, seat.page + delta));
  showPage();
}

function renderFloor(v) {
  const f = v.floor;
  const speaking = $("speaking");
  seat.speechDeadline = null;
  if (f.speech && f.speech.mine) {
    speaking.textContent = t("ui.you_have_the_floor");
    if (f.speech.seconds_left !== null) {
      seat.speechDeadline = performance.now() / 1000 + f.speech.seconds_left;
    }
  } else if (f.speech) {
    speaking.textContent = t("web.seat.speaking_x", { name: f.speech.name });
  } else {
    speaking.textContent = f.waiting ? t("web.seat.queue_x", { count: f.waiting }) : "";
  }
  $("ask").hidden = Boolean(f.request_id);
  $("withdraw").hidden = !f.request_id;
  $("ask").disabled = !allowed("request_floor");
  $("withdraw").disabled = !allowed("withdraw");
  $("my-place").textContent = f.position ? t("ui.your_place_x", { pos: f.position }) : "";
  tick(); // the speaker sees their time left there instead
}

function tick() {
  const clock = $("my-place");
  if (seat.speechDeadline === null) {
    clock.classList.remove("warn", "over");
    return;
  }
  const left = Math.round(seat.speechDeadline - performance.now() / 1000);
  const s = Math.abs(left);
  const text = `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  clock.textContent = left > 0 ? `⏱ ${text}` : `⏱ −${text}`;
  clock.classList.toggle("warn", left > 0 && left <= 60);
  clock.classList.toggle("over", left <= 0);
}

function renderVote(v) {
  const vote = v.vote;
  const buttons = document.querySelectorAll(".choice");
  const result = $("result");
  result.replaceChildren();
  if (!vote) {
    $("motion-title").textContent = t("ui.no_vote_open");
    $("motion-hint").textContent = "";
    for (const b of buttons) {
      b.disabled = true;
      b.classList.remove("chosen");
    }
    if (!seat.sending.size) setReceipt("", "");
    if (v.last_result) {
      const r = v.last_result;
      result.append(el("div", "result-title", t("ui.closed") + r.title));
      for (const line of r.lines) result.append(el("div", "", line));
      result.append(el("div", r.passed ? "verdict passed" : "verdict failed",
        r.passed ? t("ui.passed") : t("ui.not_passed")));
    }
    return;
  }
  $("motion-title").textContent = vote.title;
  const hints = {
    secret: t("web.seat.secret_hint"),
    electronic: t("web.seat.named_hint"),
    show_of_hands: t("ui.vote_by_show_of_hands_in_the_hall"),
  };
  let hint = hints[vote.form] || vote.form_label;
  if (vote.form !== "show_of_hands" && vote.allow_change) hint += " " + t("web.seat.may_change");
  if (vote.form !== "show_of_hands" && !v.me.present) hint = t("web.seat.check_in_first");
  $("motion-hint").textContent = hint;
  const can = allowed("vote") && !seat.sending.has(vote.motion_id);
  for (const b of buttons) {
    b.disabled = !can;
    b.classList.toggle("chosen", vote.my_choice === b.dataset.choice);
  }
  if (seat.sending.has(vote.motion_id)) return; // "Sending…" stays until the host answers
  if (seat.receipts[vote.motion_id]) setReceipt(seat.receipts[vote.motion_id], "sent");
  else if (vote.voted) setReceipt(t("ui.your_ballot_is_recorded"), "sent");
  else if ($("receipt").dataset.state !== "failed") setReceipt("", "");
}

function setReceipt(text, state) {
  const receipt = $("receipt");
  receipt.textContent = text;
  receipt.dataset.state = state;
}

// --- commands ---------------------------------------------------------------------------------

async function checkIn(event) {
  event.preventDefault();
  const input = $("checkin-pin");
  const pin = input.value.trim();
  input.value = "";
  const error = $("checkin-error");
  if (!pin) return (error.textContent = t("ui.enter_your_pin"));
  if (!PIN.test(pin)) return (error.textContent = t("web.seat.pin_format"));
  try {
    await api("POST", `/api/sessions/${seat.sid}/check-in`, {
      method: "pin",
      pin,
      command_id: commandId(),
    });
    error.textContent = "";
    refresh();
  } catch (err) {
    fail("checkin-error", err);
  }
}

// 1:1 face check-in: the host's challenge ("turn your head…"), four camera frames a second
// (the same endpoints and pace as the Qt tablet, ui/camera.py), until the host checks the
// delegate in, the liveness check fails, or 30 s pass.
async function faceCheckIn() {
  const prompt = $("face-prompt");
  const button = $("face-button");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    prompt.textContent = t("ui.no_camera_found");
    return;
  }
  let attempt;
  try {
    attempt = await api("POST", `/api/sessions/${seat.sid}/face-checkins`, {
      delegate_id: seat.me.delegate_id,
    });
  } catch (err) {
    prompt.textContent = err.message;
    return;
  }
  let camera;
  try {
    camera = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "user", width: { ideal: 640 } },
      audio: false,
    });
  } catch (err) {
    prompt.textContent = t("ui.camera_error_use_the_pin");
    return;
  }
  seat.faceBusy = true;
  button.disabled = true;
  const video = $("camera");
  video.srcObject = camera;
  video.hidden = false;
  await video.play();
  prompt.textContent = attempt.prompt;
  const canvas = document.createElement("canvas");
  const finish = (text) => {
    for (const track of camera.getTracks()) track.stop();
    video.srcObject = null;
    video.hidden = true;
    seat.faceBusy = false;
    button.disabled = false;
    prompt.textContent = text;
  };
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    const frame = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.85));
    let reply;
    try {
      reply = await api("POST", `/api/sessions/${seat.sid}/face-checkins/${attempt.id}/frames`, frame);
    } catch (err) {
      return finish(err.message);
    }
    if (reply.checked_in) {
      finish(t("ui.checked_in"));
      return refresh();
    }
    if (reply.liveness === "failed") return finish(t("ui.not_passed_try_again"));
    prompt.textContent = reply.verdict === "no_face" ? t("ui.no_face_in_view") : reply.prompt || "";
    await new Promise((done) => setTimeout(done, 250));
  }
  finish(t("web.seat.face_timeout"));
}

async function floorCommand(path, body) {
  $("floor-error").textContent = "";
  try {
    await api("POST", `/api/sessions/${seat.sid}${path}`, body);
    refresh();
  } catch (err) {
    fail("floor-error", err);
  }
}

async function vote(choice) {
  const v = seat.view;
  if (!v || !v.vote) return;
  const motion = v.vote.motion_id;
  const key = `${motion}:${choice}`;
  seat.commandIds[key] = seat.commandIds[key] || commandId();
  seat.sending.add(motion);
  setReceipt(t("ui.sending"), "pending");
  render();
  try {
    const r = await api("POST", `/api/sessions/${seat.sid}/motions/${motion}/ballots`, {
      choice,
      command_id: seat.commandIds[key],
      pad: v.pads[choice],
    });
    const text = t("ui.recorded_x_receipt_x", {
      choice_label: t(`choice.${choice}`),
      receipt: r.receipt,
    });
    seat.receipts[motion] = text;
    seat.sending.delete(motion);
    setReceipt(text, "sent");
  } catch (err) {
    seat.sending.delete(motion);
    setReceipt(t("ui.not_recorded") + err.message + t("ui.press_again"), "failed");
  }
  render();
}

// --- notes: on this tablet only ---------------------------------------------------------------

function notesKey() {
  return `meetingapp.notes.${seat.me.delegate_id}.${seat.sid}.${seat.docId}`;
}

function loadNotes() {
  $("notes").value = seat.docId ? localStorage.getItem(notesKey()) || "" : "";
}

function saveNotes() {
  if (seat.docId) localStorage.setItem(notesKey(), $("notes").value);
}

// --- wiring -----------------------------------------------------------------------------------

function wire() {
  $("pair-form").addEventListener("submit", pair);
  $("login-form").addEventListener("submit", login);
  $("checkin-form").addEventListener("submit", checkIn);
  $("face-button").addEventListener("click", () => faceCheckIn().catch(showError));
  $("ask").addEventListener("click", () =>
    floorCommand("/floor", { command_id: commandId() }),
  );
  $("withdraw").addEventListener("click", () => {
    const id = seat.view && seat.view.floor.request_id;
    if (id) floorCommand(`/floor/${id}/withdraw`);
  });
  for (const b of document.querySelectorAll(".choice")) {
    b.addEventListener("click", () => vote(b.dataset.choice));
  }
  $("zoom").addEventListener("click", () => {
    // the whole page fitted to the screen, or its width (then it scrolls)
    const wide = $("page-box").classList.toggle("fit-width");
    $("zoom").dataset.t = wide ? "web.seat.fit_page" : "web.seat.fit_width";
    $("zoom").textContent = t($("zoom").dataset.t);
    showPage();
  });
  $("prev").addEventListener("click", () => turn(-1));
  $("next").addEventListener("click", () => turn(1));
  $("follow").addEventListener("change", () => render());
  $("notes").addEventListener("input", debounce(saveNotes, 300));
  $("language").addEventListener("click", async () => {
    await switchLanguage();
    applyTexts();
    document.title = t("web.seat.title");
    if (seat.view) await refresh();
  });
  // turning the tablet: the page image is fetched again at the new width
  window.addEventListener("resize", debounce(() => showPage(), 250));
  setInterval(tick, 1000);
}

start().catch(showError);
