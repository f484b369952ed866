/**
 * Markdown step of the e2e engine driver: a README's sections and fenced code blocks, so that tests
 * run the commands and programs the README shows, as it shows them.
 */

/** A fenced code block: its language tag and its text. */
export interface CodeBlock {
  lang: string;
  body: string;
}

/** The section of a Markdown text under the `## ` heading that starts with `heading`, up to the next `## `. */
export function markdownSection(markdown: string, heading: string): string {
  const start = markdown.split("\n").findIndex((line) => line.startsWith(`## ${heading}`));
  if (start < 0) throw new Error(`no section "## ${heading}…"`);
  const lines = markdown.split("\n").slice(start);
  const end = lines.findIndex((line, i) => i > 0 && line.startsWith("## "));
  return lines.slice(0, end < 0 ? undefined : end).join("\n");
}

/** The fenced code blocks of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1] ?? "",
    body: m[2] ?? "",
  }));
}
