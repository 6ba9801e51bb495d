#!/bin/sh
# Vendors the Markdown editor's toolbar into static/vendor/markdown-toolbar-element/ (run once per
# upgrade, then commit the copied files). The app serves these files itself: no CDN, nothing
# fetched while a page runs. Usage: sh tools/vendor_markdown_editor.sh [version]
#
# Why @github/markdown-toolbar-element and not EasyMDE: it adds formatting buttons to the page's own
# <textarea> (27 KB, MIT, no dependencies), so the form, autosave and a browser without JavaScript
# all keep reading the same field, and phones keep their native text input; EasyMDE (330 KB with
# CodeMirror 5 and marked) replaces the field with a CodeMirror editor that must be copied back,
# renders its preview with its own Markdown parser, and fetches Font Awesome from a CDN by default.
set -eu
VERSION="${1:-2.2.3}"
PACKAGE="@github/markdown-toolbar-element@${VERSION}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${ROOT}/static/vendor/markdown-toolbar-element"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "$PACKAGE" >/dev/null
tar -xzf ./*.tgz
mkdir -p "$TARGET"
cp package/dist/index.js "$TARGET/markdown-toolbar-element.js"
cp package/LICENSE "$TARGET/LICENSE"
printf '%s\n' "$PACKAGE (npm), dist/index.js; licence: MIT (LICENSE)." >"$TARGET/VERSION"
echo "Vendored $PACKAGE into $TARGET"
