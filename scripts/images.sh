#!/usr/bin/env bash
# `npm run images`: builds (only) the project images whose inputs changed, installing the Docker
# engine and the build's Debian packages first when they are missing. Arguments go to
# tools/images (e.g. `npm run images -- --help`).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bootstrap "$@"
