// An export's page follows its progress: it asks for the state every two seconds,
// updates the message, sheet and progress bar, and reloads once the export has ended.
(function () {
  const box = document.querySelector("[data-export-status]");
  if (!box || box.dataset.final) return;
  const message = box.querySelector("[data-export-message]");
  const sheet = box.querySelector("[data-export-sheet]");
  const bar = box.querySelector("[data-export-progress]");
  const template = document.querySelector("[data-sheet-text]");
  let last = null;
  async function tick() {
    try {
      const response = await fetch(box.dataset.exportStatus, { headers: { Accept: "application/json" } });
      if (!response.ok) return window.setTimeout(tick, 5000);
      const state = await response.json();
      if (state.final || (last !== null && state.state !== last)) {
        window.location.reload();
        return;
      }
      last = state.state;
      if (message.textContent !== state.message) message.textContent = state.message;
      if (state.sheet && sheet && template) {
        sheet.textContent = template.innerHTML
          .replace("{sheet}", state.sheet)
          .replace("{done}", state.done.toLocaleString("sv-SE"))
          .replace("{total}", state.total.toLocaleString("sv-SE"));
      }
      if (bar) {
        bar.max = Math.max(state.total, 1);
        bar.value = state.done;
        bar.textContent = state.done + " / " + state.total;
      }
    } catch (error) {
      // The network may come back: try again a little later.
    }
    window.setTimeout(tick, 2000);
  }
  window.setTimeout(tick, 2000);
})();
