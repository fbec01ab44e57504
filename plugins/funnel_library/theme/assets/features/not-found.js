/* The 404 page's search: the words typed there go to the site's search box in the header, which
   opens with its answers (features/search.js). Root: the 404 page's form, [data-fl-not-found]. */

export function mount(form) {
  const input = form.querySelector('input[name="q"]');
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const search = document.querySelector("form[data-fl-search] input[name='q']");
    const words = input.value.trim();
    if (!search || !words) { input.focus(); return; }
    const toggle = document.getElementById("__search");
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    search.value = words;
    search.focus();
    search.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
