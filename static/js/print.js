// Print buttons: <button type="button" data-print>. (No inline onclick: the
// Content-Security-Policy allows scripts from our own static files only.)
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
