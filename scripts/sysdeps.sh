#!/usr/bin/env bash
# Install the system programs policyeval's tests use beyond Python, when they are missing
# (policyeval itself needs none: its PDF memos are typeset in process by the typst wheel).
#   scripts/sysdeps.sh test     poppler-utils (pdftotext, pdftoppm) to read the PDF memos, fonts and
#                               Debian's chromium for the browser tests of the memo and the
#                               weighting page, and LibreOffice Calc and Writer (headless) to
#                               recalculate the exported workbook and to open the Word memos
# Uses apt-get when run as root on Debian/Ubuntu; otherwise says what to install and carries on
# (the PDF and browser tests are then skipped with a clear message).
set -u
want=${1:-test}
missing=()
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
if [ "$want" = test ]; then
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
  ls /usr/lib/libreoffice/program/libswlo.so >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "warning: could not install ${missing[*]}; the PDF and browser tests will be skipped"
else
  echo "note: missing system packages ${missing[*]} (install them with your package manager);"
  echo "      the PDF and browser tests will be skipped until then"
fi
exit 0
