// A form marked data-submit-once is sent once: a second click or Enter while the first
// request is on its way is ignored. The cast form needs this: its answer carries the
// receipt, and a second request would replace that answer with a refusal.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !("submitOnce" in form.dataset)) {
    return;
  }
  if (form.dataset.submitted === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "yes";
  for (const button of form.querySelectorAll("button[type=submit]")) {
    button.setAttribute("aria-disabled", "true");
  }
});
