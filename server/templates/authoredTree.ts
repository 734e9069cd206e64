import { Tokenizer, TokenizerMode, type DefaultTreeAdapterTypes, type TokenHandler } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.Document | Element;

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Elements an author often leaves open: the next one of the same kind closes it. */
const SELF_ENDING = new Set(['p', 'option', 'li', 'tr', 'td', 'th']);
const RCDATA = new Set(['textarea', 'title']);
const RAWTEXT = new Set(['style', 'xmp', 'iframe', 'noembed', 'noframes']);

/**
 * Parses HTML with parse5's tokenizer (the HTML5 tokenization rules: entities, attributes, raw text of scripts and text
 * areas) into a parse5-shaped tree that keeps the nesting as the author wrote it. The HTML5 tree builder moves a
 * `<section>` written inside a `<table>` out of the table, away from its own rows; a dozen RadReport templates are written
 * that way, and read as authored their rows stay in their sections.
 */
export function parseAsAuthored(html: string): DefaultTreeAdapterTypes.Document {
  const document = { nodeName: '#document', mode: 'no-quirks', childNodes: [] } as unknown as DefaultTreeAdapterTypes.Document;
  const stack: ParentNode[] = [document];
  const current = () => stack.at(-1)!;
  const appendText = (chars: string) => {
    const parent = current();
    const last = parent.childNodes.at(-1);
    if (last?.nodeName === '#text') (last as DefaultTreeAdapterTypes.TextNode).value += chars;
    else parent.childNodes.push({ nodeName: '#text', value: chars, parentNode: parent } as DefaultTreeAdapterTypes.TextNode);
  };
  const handler: TokenHandler = {
    onStartTag(token) {
      const name = token.tagName;
      const top = current();
      if (SELF_ENDING.has(name) && 'tagName' in top && top.tagName === name) stack.pop();
      const parent = current();
      const element = {
        nodeName: name,
        tagName: name,
        attrs: token.attrs.map((a) => ({ name: a.name, value: a.value })),
        namespaceURI: 'http://www.w3.org/1999/xhtml',
        childNodes: [],
        parentNode: parent,
      } as unknown as Element;
      parent.childNodes.push(element);
      if (VOID.has(name) || token.selfClosing) return;
      stack.push(element);
      if (RCDATA.has(name)) tokenizer.state = TokenizerMode.RCDATA;
      else if (RAWTEXT.has(name)) tokenizer.state = TokenizerMode.RAWTEXT;
      else if (name === 'script') tokenizer.state = TokenizerMode.SCRIPT_DATA;
    },
    onEndTag(token) {
      for (let at = stack.length - 1; at > 0; at--) {
        const node = stack[at]!;
        if ('tagName' in node && node.tagName === token.tagName) {
          stack.length = at;
          return;
        }
      }
    },
    onComment(token) {
      const parent = current();
      parent.childNodes.push({ nodeName: '#comment', data: token.data, parentNode: parent } as DefaultTreeAdapterTypes.CommentNode);
    },
    onCharacter: (token) => appendText(token.chars),
    onWhitespaceCharacter: (token) => appendText(token.chars),
    onNullCharacter() {},
    onDoctype() {},
    onEof() {},
  };
  const tokenizer = new Tokenizer({}, handler);
  tokenizer.write(html, true);
  return document;
}
