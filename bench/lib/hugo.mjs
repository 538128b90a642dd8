// Hugo as the benchmark's multi-page peer: the same generated corpus built by Hugo (the
// Debian package, when installed) into plain pages with the same stylesheet as Quire's,
// so a cold visit compares the two generators' pages and nothing else. Optional: when
// `hugo` is missing, the rows that compare with it say so.
//
// The layouts are minimal and written for this benchmark: a list page shows the same
// ten summaries (title, date, summary, tags) as Quire's, a post page its body.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const HUGO = process.env.QUIRE_HUGO || 'hugo';

/** `hugo version`'s first line, or null when Hugo is not installed. */
export function hugoVersion() {
  const r = spawnSync(HUGO, ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : null;
}

const BASEOF = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
<link rel="stylesheet" href="/quire.css">
</head>
<body>
<div class="app">
<header class="site-header"><div class="site-title"><a href="/">{{ .Site.Title }}</a></div>
<nav class="site-nav" aria-label="Site"><a href="/">Home</a> <a href="/tags/">Tags</a></nav></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer class="site-footer"><p>{{ .Site.Title }}</p></footer>
</div>
</body>
</html>
`;

const SUMMARIES = `{{ define "summaries" }}
<div class="post-list">
{{ range .Paginator.Pages }}
<article class="post-summary">
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p class="post-meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time> · {{ .ReadingTime }} min read</p>
<div class="summary">{{ .Summary }}</div>
<ul class="tags">{{ range .Params.tags }}<li><a class="tag" href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>
</article>
{{ end }}
</div>
<nav class="pagination" aria-label="Pages">
{{ with .Paginator.Prev }}<a href="{{ .URL }}" rel="prev">← Newer posts</a>{{ end }}
<span class="page-of">Page {{ .Paginator.PageNumber }} of {{ .Paginator.TotalPages }}</span>
{{ with .Paginator.Next }}<a href="{{ .URL }}" rel="next">Older posts →</a>{{ end }}
</nav>
{{ end }}
`;

const LAYOUTS = {
  '_default/baseof.html': BASEOF,
  'index.html': `{{ define "main" }}{{ $p := .Paginate (where .Site.RegularPages "Section" "posts") }}<div class="list-page"><header class="page-header"><h1>Latest posts</h1></header>{{ template "summaries" . }}</div>{{ end }}${SUMMARIES}`,
  '_default/list.html': `{{ define "main" }}{{ $p := .Paginate .Pages }}<div class="list-page"><header class="page-header"><h1>{{ .Title }}</h1></header>{{ template "summaries" . }}</div>{{ end }}${SUMMARIES}`,
  '_default/terms.html': `{{ define "main" }}<h1>{{ .Title }}</h1><ul class="tag-cloud">{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}`,
  '_default/single.html': `{{ define "main" }}<article class="post"><h1>{{ .Title }}</h1><p class="post-meta"><time>{{ .Date.Format "January 2, 2006" }}</time></p><div class="post-body">{{ .Content }}</div></article>{{ end }}`,
};

/**
 * Builds `content` (a Quire content folder: posts/*.md and site.toml) with Hugo into
 * `work`/public, using `css` as its stylesheet. Returns the public folder.
 */
export function buildHugo(content, work, { css, perPage = 10 } = {}) {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, 'content'), { recursive: true });
  fs.cpSync(path.join(content, 'posts'), path.join(work, 'content', 'posts'), { recursive: true });
  fs.writeFileSync(
    path.join(work, 'hugo.toml'),
    `baseURL = "/"\ntitle = "Synthetic Blog"\nlanguageCode = "en"\npaginate = ${perPage}\ndisableKinds = ["RSS", "sitemap", "robotsTXT"]\n[taxonomies]\ntag = "tags"\ncategory = "categories"\n[markup.goldmark.renderer]\nunsafe = false\n`,
  );
  for (const [name, text] of Object.entries(LAYOUTS)) {
    const file = path.join(work, 'layouts', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.mkdirSync(path.join(work, 'static'), { recursive: true });
  if (css) fs.copyFileSync(css, path.join(work, 'static', 'quire.css'));
  const r = spawnSync(HUGO, ['--quiet', '--source', work, '--destination', path.join(work, 'public')], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`hugo failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return path.join(work, 'public');
}

/** Hugo's path for a tag name (its `urlize`: lower case, spaces to dashes). */
export function hugoTagPath(publicDir, name) {
  const guess = name.toLowerCase().replace(/\s+/g, '-');
  if (fs.existsSync(path.join(publicDir, 'tags', guess, 'index.html'))) return `tags/${encodeURIComponent(guess)}/`;
  return null;
}
