// Copies the precompiled GOV.UK Frontend and MOJ Frontend assets from node_modules into dist/,
// which Django serves as static files (STATICFILES_DIRS). No bundler, no downloads.
//
//   dist/govuk/  govuk-frontend.min.css, govuk-frontend.min.js, assets/{fonts,images,manifest.json}
//   dist/moj/    moj-frontend.min.css, moj-frontend.min.js, assets/images
//   dist/grip.css, dist/favicon.svg   (our own files, from src/)
//
// Both packages compile their CSS with url(/assets/...). Those are rewritten to url(assets/...),
// relative to the stylesheet, so the files work under any STATIC_URL.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const modules = join(root, "node_modules");
const dist = join(root, "dist");

const packages = [
  {
    name: "govuk",
    from: join(modules, "govuk-frontend", "dist", "govuk"),
    files: ["govuk-frontend.min.css", "govuk-frontend.min.css.map", "govuk-frontend.min.js", "govuk-frontend.min.js.map"],
    css: "govuk-frontend.min.css",
  },
  {
    name: "moj",
    from: join(modules, "@ministryofjustice", "frontend", "moj"),
    files: ["moj-frontend.min.css", "moj-frontend.min.css.map", "moj-frontend.min.js", "moj-frontend.min.js.map"],
    css: "moj-frontend.min.css",
  },
];

rmSync(dist, { recursive: true, force: true });

for (const pkg of packages) {
  if (!existsSync(pkg.from)) {
    console.error(`Missing ${pkg.from}: run "npm ci" in frontend/ first.`);
    process.exit(1);
  }
  const to = join(dist, pkg.name);
  mkdirSync(to, { recursive: true });
  for (const file of pkg.files) cpSync(join(pkg.from, file), join(to, file));
  cpSync(join(pkg.from, "assets"), join(to, "assets"), { recursive: true });

  const cssPath = join(to, pkg.css);
  const css = readFileSync(cssPath, "utf8").replaceAll("url(/assets/", "url(assets/");
  writeFileSync(cssPath, css);
}

cpSync(join(root, "src"), dist, { recursive: true });
console.log(`Built ${dist}`);
