# shellcheck shell=bash
#
# scripts/lib.sh: shared by scripts/check and scripts/demo.
#
#   ds_install_deps   install the Debian packages the build and the tests need, when missing
#   ds_build          configure and build into build/ (sanitizers on); binary: build/ddlsnap
#
# DS_ROOT is the repository root. Set DS_SKIP_DEPS=1 to skip the package check.

DS_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
export DS_ROOT

DS_PACKAGES=(
	libgit2-dev libpg-query-dev libcmocka-dev libjansson-dev libpq-dev libssl-dev
	cmake pkg-config gcc make git postgresql-15 postgresql-client-15
)

ds_say()
{
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

# Installed means dpkg says "install ok installed" (dpkg -s also succeeds for packages removed
# with their configuration files left behind).
_ds_installed()
{
	[[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

ds_install_deps()
{
	local p missing=() sudo=()
	if [[ "${DS_SKIP_DEPS:-0}" == 1 ]]; then
		return 0
	fi
	if ! command -v dpkg-query >/dev/null 2>&1; then
		ds_say "not a Debian system; make sure these (or their equivalents) are installed:" \
			"${DS_PACKAGES[*]}"
		return 0
	fi
	for p in "${DS_PACKAGES[@]}"; do
		_ds_installed "$p" || missing+=("$p")
	done
	if ((${#missing[@]} == 0)); then
		return 0
	fi
	if [[ "$(id -u)" != 0 ]]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			ds_say "missing packages: ${missing[*]}"
			ds_say "install them as root: apt-get install ${missing[*]}"
			return 1
		fi
	fi
	ds_say "installing: ${missing[*]}"
	"${sudo[@]}" apt-get update -q || return 1
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null || return 1
}

ds_build()
{
	(
		cd -- "$DS_ROOT" &&
			cmake -S . -B build -DDDLSNAP_SANITIZE=ON &&
			cmake --build build -j2
	)
}
