// Light, dark, or the system's choice (the default), remembered by the
// browser.

const KEY = 'gsupervisor.theme';
const NEXT = { auto: 'light', light: 'dark', dark: 'auto' };
const LABEL = { auto: 'automatic', light: 'light', dark: 'dark' };

function apply(button, theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  if (button) {
    button.setAttribute('aria-label', `Colour theme: ${LABEL[theme]}`);
    button.title = `Colour theme: ${LABEL[theme]} (click to change)`;
  }
}

/** initTheme applies the remembered theme and makes button cycle it. */
export function initTheme(button) {
  let theme = localStorage.getItem(KEY) || 'auto';
  if (!NEXT[theme]) theme = 'auto';
  apply(button, theme);
  if (!button) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    theme = NEXT[theme];
    localStorage.setItem(KEY, theme);
    apply(button, theme);
  });
}
