import { describe, expect, it } from 'vitest';
import { XmlGuard, xmlLimits } from './xml-guard.ts';

const small = { maxTextBytes: 100, maxTagBytes: 40, maxDepth: 4 };

/** Feeds `xml` in pieces of `size` bytes; the first problem found, if any. */
function follow(xml: string, size = 7, limits = small) {
  const guard = new XmlGuard(limits);
  const bytes = Buffer.from(xml);
  for (let offset = 0; offset < bytes.length; offset += size) {
    const problem = guard.feed(bytes.subarray(offset, offset + size));
    if (problem) return problem;
  }
  return undefined;
}

describe('XmlGuard', () => {
  it('lets a worksheet through, split anywhere: declaration, quoted ">" and "/>", self-closing cells', () => {
    const xml = '\uFEFF<?xml version="1.0" encoding="UTF-8"?><a><b x="1>2" y=\'/\'/><b><c>3 &gt; 2</c></b></a>';
    for (const size of [1, 2, 3, 7, 1000]) expect(follow(xml, size)).toBeUndefined();
  });

  it('refuses a run of text past the limit, saying where it begins', () => {
    expect(follow(`<a><b>${'x'.repeat(100)}</b></a>`)).toBeUndefined();
    expect(follow(`<a><b>${'x'.repeat(101)}</b></a>`)).toEqual({ kind: 'text', offset: 6 });
  });

  it('refuses a tag past the limit, quoted values counted', () => {
    expect(follow(`<a><b v="${'x'.repeat(20)}"/></a>`)).toBeUndefined();
    expect(follow(`<a><b v="${'x'.repeat(40)}"/></a>`)).toEqual({ kind: 'tag', offset: 3 });
    expect(follow(`<a><b ${'c="" '.repeat(20)}/></a>`)).toEqual({ kind: 'tag', offset: 3 });
  });

  it('refuses elements nested past the limit, closing tags counted', () => {
    expect(follow('<a><b><c><d/></c></b></a><a><b><c><d></d></c></b></a>')).toBeUndefined();
    expect(follow('<a><b><c><d><e>')).toEqual({ kind: 'depth', offset: 14 });
  });

  it('refuses a DOCTYPE, comments, CDATA and processing instructions after the declaration', () => {
    expect(follow('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a/>', 1000)).toEqual({ kind: 'doctype', offset: 21 });
    expect(follow('<a><!-- <<<< --></a>')).toEqual({ kind: 'markup', offset: 3 });
    expect(follow('<a><![CDATA[x]]></a>')).toEqual({ kind: 'markup', offset: 3 });
    expect(follow('<a/><?pi x?>')).toEqual({ kind: 'markup', offset: 4 });
  });

  it('keeps its limits above what the checker reports itself: a 10 MB cell is a finding, not a refusal', () => {
    expect(xmlLimits.maxTextBytes).toBeGreaterThan(10 * 1024 * 1024);
  });
});
