/* The diagram viewer. Without script a diagram shows at its natural size in a frame that
   scrolls. With it the frame's toolbar works: one row of icon buttons (zoom out, zoom in, fit,
   actual size, full screen), of which only those that would change something show: recomputed
   on every zoom and whenever the frame changes size. Keys in the focused frame: + and - zoom, 0 fits, 1 is actual size, f is full screen,
   Escape leaves it; arrow keys scroll. A mouse drags the diagram, two fingers pinch it, and
   Ctrl + wheel (a touchpad pinch) zooms. Root: the frame, .fl-viewport[data-fl-viewer]. */

const STEP = 1.25;
const MAX = 4;

export function mount(viewport) {
  const svg = viewport.querySelector("svg");
  const figure = viewport.closest("figure") || viewport.parentElement;
  if (!svg || viewport.hasAttribute("data-fl-ready")) return;
  const width = parseFloat(svg.getAttribute("width"));
  const height = parseFloat(svg.getAttribute("height"));
  if (!(width > 0 && height > 0)) return;
  viewport.setAttribute("data-fl-ready", "");
  let scale = 1;
  const always = viewport.getAttribute("data-fl-viewer") === "always";

  const tools = viewport.previousElementSibling;
  if (!tools || !tools.classList.contains("fl-viewer-tools")) return;
  const part = (name) => tools.querySelector(`.fl-viewer-tools__${name}`);
  const [zoomOut, zoomIn, fit, actual, full, percent, hint] = ["out", "in", "fit", "actual", "full", "percent", "hint"].map(part);
  const isFull = () => figure.classList.contains("fl-diagram--full");

  function fitScale() {
    const byWidth = (viewport.clientWidth - 2) / width;
    const byHeight = isFull() || always ? (viewport.clientHeight - 2) / height : Infinity;
    return Math.min(1, byWidth, byHeight);
  }
  const minimum = () => Math.min(fitScale(), 1);

  // Two scales that draw the diagram within 2 px of each other are the same to the eye (the
  // stylesheet fits a wide funnel to the whole frame, the fit button to 2 px inside it).
  const near = (a, b) => Math.abs(a - b) * Math.max(width, height) <= 2.5;

  /* Which buttons would change something now: zoom out above the smallest scale, zoom in below
     the largest, fit where it differs from the scale now and from actual size (a diagram that fits
     at 100% has nothing to fit), actual size away from 100%, full screen where the diagram does
     not show whole in its frame or is taller than the window (or to close it). */
  function useful(overflow) {
    const fitting = fitScale();
    return new Map([
      [zoomOut, scale > minimum() && !near(scale, minimum())],
      [zoomIn, scale < MAX - 1e-3],
      [fit, !near(fitting, 1) && !near(scale, fitting)],
      [actual, !near(scale, 1)],
      [full, isFull() || overflow || fitting < 1 - 1e-3 || height * scale > window.innerHeight * 0.9],
    ]);
  }

  /* A button that hides while it has focus hands focus to the nearest one still shown (a
     keyboard never lands on nothing). */
  function showOnly(shown) {
    const buttons = Array.from(shown.keys());
    const focused = buttons.indexOf(document.activeElement);
    shown.forEach((on, button) => { if (button.hidden === on) button.hidden = !on; });
    if (focused >= 0 && buttons[focused].hidden) {
      const next = buttons.slice(focused + 1).concat(buttons.slice(0, focused).reverse()).find((button) => !button.hidden);
      if (next) next.focus(); else viewport.focus();
    }
  }

  /* Until the script sets its size, the stylesheet may show the diagram scaled (a funnel wider
     than its column opens scaled to fit it): the scale is then the one it is drawn at. */
  function drawnScale() {
    const drawn = svg.getBoundingClientRect().width;
    return svg.style.width || !(drawn > 0) ? scale : drawn / width;
  }

  function refresh() {
    scale = drawnScale();
    const overflowX = viewport.scrollWidth > viewport.clientWidth + 1;
    const overflowY = viewport.scrollHeight > viewport.clientHeight + 1;
    const overflow = overflowX || overflowY;
    if (overflow) {
      viewport.setAttribute("data-overflow", overflowX && overflowY ? "both" : overflowX ? "x" : "y");
      viewport.setAttribute("tabindex", "0");
    } else {
      viewport.removeAttribute("data-overflow");
      // Nothing to scroll: the frame leaves the tab order unless its tools are shown.
      if (always) viewport.setAttribute("tabindex", "0"); else viewport.removeAttribute("tabindex");
    }
    percent.textContent = `${Math.round(scale * 100)}%`;
    hint.textContent = overflow ? "Drag or use the arrow keys to see the rest." : "";
    showOnly(useful(overflow));
  }

  /* Where the drawing starts inside the frame's scrolled content (it is centred while it fits). */
  function origin() {
    const drawing = svg.getBoundingClientRect();
    const frame = viewport.getBoundingClientRect();
    return { x: drawing.left - frame.left - viewport.clientLeft + viewport.scrollLeft,
             y: drawing.top - frame.top - viewport.clientTop + viewport.scrollTop };
  }

  /* Zoom about a point of the frame (its centre unless given), keeping that point still. */
  function zoomTo(next, x = viewport.clientWidth / 2, y = viewport.clientHeight / 2) {
    const clamped = Math.max(minimum(), Math.min(MAX, next));
    const before = origin();
    const pointX = (viewport.scrollLeft + x - before.x) / scale;
    const pointY = (viewport.scrollTop + y - before.y) / scale;
    scale = clamped;
    svg.style.width = `${width * scale}px`;
    svg.style.height = `${height * scale}px`;
    const after = origin();
    viewport.scrollLeft = pointX * scale + after.x - x;
    viewport.scrollTop = pointY * scale + after.y - y;
    refresh();
  }

  function setFull(on) {
    figure.classList.toggle("fl-diagram--full", on);
    document.body.classList.toggle("fl-has-full", on);
    full.setAttribute("aria-pressed", on ? "true" : "false");
    const name = on ? "Close full screen" : "Full screen";
    full.setAttribute("aria-label", name);
    full.title = `${name} (${on ? "Escape" : "f"})`;
    full.setAttribute("data-tip", full.title);
    refresh();
    viewport.focus();
  }

  zoomOut.addEventListener("click", () => zoomTo(scale / STEP));
  zoomIn.addEventListener("click", () => zoomTo(scale * STEP));
  fit.addEventListener("click", () => zoomTo(fitScale()));
  actual.addEventListener("click", () => zoomTo(1));
  full.addEventListener("click", () => setFull(!isFull()));

  viewport.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key;
    if (key === "+" || key === "=") zoomTo(scale * STEP);
    else if (key === "-" || key === "_") zoomTo(scale / STEP);
    else if (key === "0") zoomTo(fitScale());
    else if (key === "1") zoomTo(1);
    else if (key === "f" || key === "F") setFull(!isFull());
    else if (key === "Escape" && isFull()) setFull(false);
    else return;
    event.preventDefault();
    event.stopPropagation();  // the theme's own shortcuts (f opens search) stay out of the frame
  });
  tools.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isFull()) { setFull(false); event.preventDefault(); }
  });

  viewport.addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    const box = viewport.getBoundingClientRect();
    zoomTo(scale * Math.pow(STEP, -event.deltaY / 100), event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });

  /* A mouse drags the view. Two fingers pinch it (touch events: every mobile browser sends
     them for both fingers); one finger scrolls natively. */
  let drag = null;
  let pinch = null;
  function spread(touches) {
    const [a, b] = [touches[0], touches[1]];
    return { d: Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY), x: (a.clientX + b.clientX) / 2, y: (a.clientY + b.clientY) / 2 };
  }
  viewport.addEventListener("touchstart", (event) => {
    pinch = event.touches.length === 2 ? { start: spread(event.touches), scale } : null;
  }, { passive: true });
  viewport.addEventListener("touchmove", (event) => {
    if (!pinch || event.touches.length !== 2) return;
    event.preventDefault();
    const now = spread(event.touches);
    const box = viewport.getBoundingClientRect();
    if (pinch.start.d > 0) zoomTo(pinch.scale * now.d / pinch.start.d, now.x - box.left, now.y - box.top);
  }, { passive: false });
  viewport.addEventListener("touchend", (event) => { if (event.touches.length < 2) pinch = null; });
  viewport.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" && event.button === 0 && viewport.hasAttribute("data-overflow")) {
      drag = { x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop, moved: false };
    }
  });
  viewport.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) > 4) { drag.moved = true; viewport.classList.add("fl-dragging"); }
    if (drag.moved) { viewport.scrollLeft = drag.left - dx; viewport.scrollTop = drag.top - dy; }
  });
  function release() {
    if (drag && drag.moved) {
      // A drag that ends on a node is not a click on it.
      viewport.addEventListener("click", (click) => { click.preventDefault(); click.stopPropagation(); }, { capture: true, once: true });
      setTimeout(() => viewport.classList.remove("fl-dragging"), 0);
    }
    drag = null;
  }
  viewport.addEventListener("pointerup", release);
  viewport.addEventListener("pointercancel", release);

  if (window.ResizeObserver) new ResizeObserver(refresh).observe(viewport);
  window.addEventListener("resize", () => { if (viewport.isConnected) refresh(); });
  refresh();
  // A funnel wider than the frame starts with its steps in view (their names matter more than
  // the labels of the arrows beside them); the map starts at its top centre, and the circles
  // of trust on their inner circle.
  const steps = Array.from(svg.querySelectorAll(".fl-step"), (node) => node.getBoundingClientRect().left);
  if (steps.length) {
    viewport.scrollLeft += Math.min(...steps) - viewport.getBoundingClientRect().left - viewport.clientLeft - 8;
  } else {
    viewport.scrollLeft = (viewport.scrollWidth - viewport.clientWidth) / 2;
  }
  if (viewport.getAttribute("data-fl-start") === "centre") viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) / 2;
}
