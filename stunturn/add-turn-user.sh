#!/usr/bin/env bash
# Adds, removes or lists the long-term TURN users of a coturn started with
# start-coturn.sh --long-term (the original web app's add-turn-server.sh USER PASS). The relay's
# time-limited credentials need no users; see README.md in this directory.
#
#   stunturn/add-turn-user.sh alice            # asks for the password (or reads it from stdin)
#   stunturn/add-turn-user.sh --delete alice
#   stunturn/add-turn-user.sh --list
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: add-turn-user.sh [--realm NAME] [--userdb FILE] USER [PASSWORD]
       add-turn-user.sh [--realm NAME] [--userdb FILE] --delete USER
       add-turn-user.sh [--userdb FILE] --list

USER is 1 to 64 of A-Z a-z 0-9 . _ -. Without PASSWORD it is asked for on the terminal, or read
as the first line of stdin; a PASSWORD given as an argument is visible to other local users in the
process list while the command runs. Passwords are at least 8 characters, no spaces or colons.

  --realm NAME    the realm of start-coturn.sh (default p2pchat)
  --userdb FILE   coturn's user database (default: start-coturn.sh's, $STATE_DIRECTORY/turndb,
                  else ~/.p2pchat/coturn/turndb)
USAGE
}

die() {
    echo "add-turn-user.sh: $*" >&2
    exit 2
}

realm=p2pchat
dir="${STATE_DIRECTORY:-}"
dir="${dir%%:*}"
userdb=""
action=add
args=()
while [ $# -gt 0 ]; do
    case $1 in
        --help|-h) usage; exit 0 ;;
        --realm|--userdb)
            [ $# -ge 2 ] || die "$1 needs a value (see --help)"
            if [ "$1" = --realm ]; then realm=$2; else userdb=$2; fi
            shift 2 ;;
        --delete) action=delete; shift ;;
        --list) action=list; shift ;;
        --*) die "unknown option '$1' (see --help)" ;;
        *) args+=("$1"); shift ;;
    esac
done

[[ $realm =~ ^[A-Za-z0-9.-]{1,64}$ ]] || die "--realm must be 1 to 64 of A-Z a-z 0-9 . -, was '$realm'"
if [ -z "$userdb" ]; then
    if [ -z "$dir" ]; then
        [ -n "${HOME:-}" ] || die "neither --userdb, STATE_DIRECTORY nor HOME is set"
        dir="$HOME/.p2pchat/coturn"
    fi
    userdb="$dir/turndb"
fi
turnadmin=$(command -v turnadmin || true)
[ -n "$turnadmin" ] || { echo "add-turn-user.sh: coturn is not installed: apt-get install coturn" >&2; exit 1; }
umask 077
mkdir -p "$(dirname "$userdb")"

if [ "$action" = list ]; then
    [ ${#args[@]} -eq 0 ] || die "--list takes no user"
    exec "$turnadmin" -l -b "$userdb"
fi

[ ${#args[@]} -ge 1 ] || die "which user? (see --help)"
user=${args[0]}
[[ $user =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "USER must be 1 to 64 of A-Z a-z 0-9 . _ -, was '$user'"

if [ "$action" = delete ]; then
    [ ${#args[@]} -eq 1 ] || die "--delete takes one user"
    "$turnadmin" -d -b "$userdb" -u "$user" -r "$realm"
    echo "add-turn-user.sh: removed $user from $userdb (realm $realm)"
    exit 0
fi

[ ${#args[@]} -le 2 ] || die "too many arguments (see --help)"
if [ ${#args[@]} -eq 2 ]; then
    password=${args[1]}
elif [ -t 0 ]; then
    read -r -s -p "Password for $user: " password
    echo
else
    IFS= read -r password || [ -n "${password:-}" ] || die "no password on stdin"
fi
[[ $password =~ ^[^[:space:]:]{8,128}$ ]] || die "the password must be 8 to 128 characters without spaces or colons"

"$turnadmin" -a -b "$userdb" -u "$user" -r "$realm" -p "$password"
echo "add-turn-user.sh: added $user to $userdb (realm $realm); clients use turn:HOST:3478 with this user and password"
