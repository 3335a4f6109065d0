import { Marked, type Tokens } from 'marked';
import guideMarkdown from '../../../docs/guide/README.md?raw';

/** An anchor for a heading: « Campagnes d'appels » → `campagnes-d-appels`. */
function slugOf(text: string) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const marked = new Marked({
  gfm: true,
  renderer: {
    // Sections get an anchor, for the table of contents and for links into the guide.
    heading({ tokens, depth, text }: Tokens.Heading) {
      return `<h${depth} id="${slugOf(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
  },
});

/**
 * The user guide (`docs/guide/README.md`, the single text) as HTML, with its sections. The
 * markdown is the project's own, bundled at build time: no user input reaches this HTML.
 */
export function renderGuide() {
  const sections = marked
    .lexer(guideMarkdown)
    .filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth === 2)
    .map((t) => ({ id: slugOf(t.text), title: t.text }));
  // The page has its own h1: the guide's title line is left out.
  const body = guideMarkdown.replace(/^# .*\n/, '');
  return { html: marked.parse(body, { async: false }), sections };
}
