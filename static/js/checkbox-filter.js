// A search box over a long list of checkboxes: <input data-filter-checkboxes="ID"> hides
// the options of the element with that id whose label does not contain what is typed.
// Ticked options always stay in view.
document.addEventListener("input", (event) => {
  const box = event.target.closest("[data-filter-checkboxes]");
  if (!box) return;
  const list = document.getElementById(box.dataset.filterCheckboxes);
  if (!list) return;
  const wanted = box.value.trim().toLocaleLowerCase();
  for (const option of list.querySelectorAll(".form-check")) {
    const input = option.querySelector("input");
    const label = option.textContent.toLocaleLowerCase();
    option.hidden = Boolean(wanted) && !label.includes(wanted) && !(input && input.checked);
  }
});
