/**
 * A strict check that a document is well-formed XML, enough for the SVG this service draws: one root,
 * every tag closed in order, attributes quoted and unique, no stray `<` or unescaped `&`. Throws with
 * the first problem. For tests: the service itself never parses XML.
 */
export function assertWellFormedXml(document: string): void {
  const name = '[A-Za-z_:][A-Za-z0-9_.:-]*';
  const attribute = new RegExp(`^\\s+(${name})\\s*=\\s*("[^"<]*"|'[^'<]*')`);
  const open: string[] = [];
  let roots = 0;
  let rest = document.replace(/^<\?xml[^?]*\?>\s*/, '');
  const checkEscapes = (text: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) throw new Error(`unescaped & in "${text}"`);
  };
  const checkText = (text: string) => {
    checkEscapes(text);
    if (open.length === 0 && text.trim() !== '') throw new Error(`text outside the root: "${text}"`);
  };
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    if (lt === -1) {
      checkText(rest);
      break;
    }
    checkText(rest.slice(0, lt));
    rest = rest.slice(lt);
    const closing = new RegExp(`^</(${name})\\s*>`).exec(rest);
    if (closing) {
      if (open.pop() !== closing[1]) throw new Error(`</${closing[1]}> closes nothing open`);
      rest = rest.slice(closing[0].length);
      continue;
    }
    const start = new RegExp(`^<(${name})`).exec(rest);
    if (!start?.[1]) throw new Error(`a stray < at "${rest.slice(0, 20)}"`);
    if (open.length === 0) roots += 1;
    rest = rest.slice(start[0].length);
    const seen = new Set<string>();
    for (let match = attribute.exec(rest); match; match = attribute.exec(rest)) {
      const key = match[1] ?? '';
      if (seen.has(key)) throw new Error(`attribute ${key} twice on <${start[1]}>`);
      seen.add(key);
      checkEscapes(match[2] ?? '');
      rest = rest.slice(match[0].length);
    }
    const end = /^\s*(\/?)>/.exec(rest);
    if (!end) throw new Error(`<${start[1]}> is not closed properly at "${rest.slice(0, 20)}"`);
    if (end[1] !== '/') open.push(start[1]);
    rest = rest.slice(end[0].length);
  }
  if (open.length > 0) throw new Error(`<${open.join('>, <')}> never closed`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}
