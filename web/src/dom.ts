// Building DOM without innerHTML: data is always set as text, never parsed as markup.
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | ((event: Event) => void)> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

export function field(id: string, label: string, input: HTMLElement): HTMLElement {
  input.id = id;
  return h('div', {}, h('label', { for: id }, label), input);
}

type Editable = HTMLInputElement | HTMLTextAreaElement;

/**
 * Starts a draw of a region that draws itself again after each change; the answer says whether
 * this draw is still the newest of `container`. After two quick changes the answers may arrive in
 * either order: only the one asked for last is drawn.
 */
export function startDraw(container: HTMLElement): () => boolean {
  const draw = String(Number(container.dataset.draw ?? '0') + 1);
  container.dataset.draw = draw;
  return () => container.dataset.draw === draw;
}

/**
 * Replaces `container`'s content with `children`, carrying over what the user has typed (and not
 * sent) in fields outside `sent`: a panel redrawn after one of its forms is saved must not wipe a
 * note being written in another. Fields are matched by id; the sent form's fields show the saved state.
 */
export function replaceKeepingTyped(container: HTMLElement, sent: HTMLFormElement | null, ...children: HTMLElement[]): void {
  const typed = new Map<string, string>();
  for (const input of container.querySelectorAll<Editable>('input[id], textarea[id]')) {
    if (input.value !== input.defaultValue && (sent === null || !sent.contains(input))) typed.set(input.id, input.value);
  }
  container.replaceChildren(...children);
  for (const [id, value] of typed) {
    const input = container.querySelector<Editable>(`#${CSS.escape(id)}`);
    if (input !== null) input.value = value;
  }
}
