// The meeting log's attendance total, kept as the server counts it: the people of each
// organisation ticked as attended. Typing a number of people ticks "attended".
(() => {
  const table = document.querySelector("[data-attendance]");
  const output = table && table.querySelector("[data-attendance-total]");
  if (!output) return;
  const recount = () => {
    let total = 0;
    for (const row of table.querySelectorAll("tbody tr")) {
      const attended = row.querySelector("[data-attended]");
      const people = row.querySelector("[data-people]");
      const count = people ? parseInt(people.value, 10) : 0;
      if (attended && attended.checked && count > 0) total += count;
    }
    output.textContent = String(total);
  };
  table.addEventListener("input", (event) => {
    if (event.target.matches("[data-people]") && parseInt(event.target.value, 10) > 0) {
      const attended = event.target.closest("tr").querySelector("[data-attended]");
      if (attended) attended.checked = true;
    }
    recount();
  });
  table.addEventListener("change", recount);
})();
