// Copy buttons: <button data-copy="ID"> copies the value of the input #ID (the page works without it:
// the input is read-only and can be selected by hand).
document.addEventListener("click", async (ev) => {
  const button = ev.target.closest("button[data-copy]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  if (!input) return;
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    document.execCommand("copy");
  }
  const note = button.parentElement.querySelector(".copied");
  if (note) note.hidden = false;
});
