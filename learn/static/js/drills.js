// Mock-talk sessions: the talk timer, transcript autosave and a notice when the phase changes.
// Progressive enhancement only: every action also works with plain forms.
(() => {
  const pad = (n) => String(n).padStart(2, "0");

  function startTimer(el) {
    const started = Date.parse(el.dataset.started);
    const ended = el.dataset.ended ? Date.parse(el.dataset.ended) : null;
    const planned = Number(el.dataset.duration) * 60;
    const clock = el.querySelector(".clock");
    const value = el.querySelector(".clock-value");
    const note = el.querySelector(".clock-note");
    if (!clock || Number.isNaN(started)) return;
    clock.hidden = false;
    const tick = () => {
      const seconds = Math.max(0, Math.floor(((ended || Date.now()) - started) / 1000));
      value.textContent = `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
      const left = planned - seconds;
      el.classList.toggle("overtime", left < 0);
      if (ended) note.textContent = "（谈话已结束）";
      else if (left >= 0) note.textContent = `剩余约 ${Math.ceil(left / 60)} 分钟`;
      else note.textContent = `已超出计划 ${Math.ceil(-left / 60)} 分钟`;
    };
    tick();
    if (!ended) setInterval(tick, 1000);
  }

  function autosave(form) {
    const area = form.querySelector("textarea");
    const status = form.querySelector(".autosave-status");
    const token = form.querySelector("input[name=csrf_token]");
    if (!area || !token) return;
    let timer = null;
    let saved = area.value;
    const save = async () => {
      if (area.value === saved) return;
      const text = area.value;
      try {
        const response = await fetch(form.dataset.autosave, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token.value },
          body: JSON.stringify({ transcript: text }),
          credentials: "same-origin",
        });
        const data = await response.json();
        if (!response.ok) throw new Error(data.error || "保存失败");
        saved = text;
        const now = new Date();
        status.textContent = `已自动保存（${pad(now.getHours())}:${pad(now.getMinutes())}）`;
      } catch (err) {
        status.textContent = `自动保存失败：${err.message}。请点击“保存笔录”。`;
      }
    };
    area.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(save, 3000);
    });
  }

  function watchPhase(el) {
    const notice = document.querySelector(".phase-changed");
    if (!notice || !el.dataset.statusUrl) return;
    const poll = async () => {
      if (document.hidden) return;
      try {
        const response = await fetch(el.dataset.statusUrl, { credentials: "same-origin" });
        if (!response.ok) return;
        const data = await response.json();
        if (data.phase !== el.dataset.phase) notice.hidden = false;
      } catch (err) {
        // offline for a moment: try again at the next interval
      }
    };
    setInterval(poll, 20000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-timer]").forEach(startTimer);
    document.querySelectorAll("form[data-autosave]").forEach(autosave);
    document.querySelectorAll("[data-session]").forEach(watchPhase);
  });
})();
