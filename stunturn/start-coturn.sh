#!/usr/bin/env bash
# Starts coturn (Debian's coturn package) for P2P Chat with a configuration made from
# turnserver.conf.template next to this script. See README.md in this directory.
#
#   stunturn/start-coturn.sh --external-ip 203.0.113.10 --secret-file /etc/p2pchat/turn-secret
#   stunturn/start-coturn.sh --long-term --external-ip 203.0.113.10    # users of add-turn-user.sh
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
template="$here/turnserver.conf.template"

usage() {
    cat <<'USAGE'
Usage: start-coturn.sh [OPTIONS]

Writes DIR/turnserver.conf from turnserver.conf.template and runs coturn with it in the
foreground (exec turnserver -c DIR/turnserver.conf); stop it with SIGTERM or Ctrl-C.

  --external-ip ADDR      the address clients reach this host at (PUBLIC, or PUBLIC/PRIVATE
                          behind a 1:1 NAT); needed unless --listen-ip is that address
  --listen-ip ADDR        listen on this address only (default: every address)
  --port N                STUN/TURN port, UDP and TCP (default 3478)
  --relay-ports MIN-MAX   UDP ports for relayed addresses (default 49152-65535)
  --realm NAME            the TURN realm (default p2pchat)
  --secret-file FILE      the secret shared with the relay (first line of FILE; default: the
                          environment variable P2PCHAT_TURN_SECRET). 16 or more characters of
                          A-Z a-z 0-9 + / = . _ ~ -, e.g.: head -c 32 /dev/urandom | base64
  --long-term             long-term users (add-turn-user.sh) instead of the relay's
                          time-limited credentials; needs no secret
  --userdb FILE           the user database of --long-term (default DIR/turndb)
  --allowed-peer-ip RANGE allow relaying to RANGE (a.b.c.d or a.b.c.d-e.f.g.h) although the
                          hardening denies it; for labs and private networks; may be repeated
  --dir DIR               where the configuration, log and pid file go (default
                          $STATE_DIRECTORY, else ~/.p2pchat/coturn)
  --write-only            write the configuration and exit without starting coturn
  --help                  this text
USAGE
}

die() {
    echo "start-coturn.sh: $*" >&2
    exit 2
}

is_ip() {
    local v=$1
    if [[ $v =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]]; then
        local octet
        for octet in "${BASH_REMATCH[@]:1}"; do
            (( 10#$octet <= 255 )) || return 1
        done
        return 0
    fi
    [[ $v =~ ^[0-9A-Fa-f:.]+$ && $v == *:* ]]
}

is_port() {
    [[ $1 =~ ^[0-9]{1,5}$ ]] && (( 10#$1 >= 1 && 10#$1 <= 65535 ))
}

external_ip=""
listen_ip=""
port=3478
relay_ports=49152-65535
realm=p2pchat
secret_file=""
long_term=false
userdb=""
allowed=()
dir="${STATE_DIRECTORY:-}"
dir="${dir%%:*}"
write_only=false

while [ $# -gt 0 ]; do
    option=$1
    case $option in
        --help|-h) usage; exit 0 ;;
        --long-term) long_term=true; shift; continue ;;
        --write-only) write_only=true; shift; continue ;;
        --external-ip|--listen-ip|--port|--relay-ports|--realm|--secret-file|--userdb|--allowed-peer-ip|--dir)
            [ $# -ge 2 ] || die "$option needs a value (see --help)"
            value=$2
            shift 2 ;;
        *) die "unknown option '$option' (see --help)" ;;
    esac
    case $option in
        --external-ip)
            # PUBLIC or PUBLIC/PRIVATE
            for part in ${value//\// }; do
                is_ip "$part" || die "--external-ip must be an IP address or PUBLIC/PRIVATE, was '$value'"
            done
            [[ $value =~ ^[^/]+(/[^/]+)?$ ]] || die "--external-ip must be an IP address or PUBLIC/PRIVATE, was '$value'"
            external_ip=$value ;;
        --listen-ip)
            is_ip "$value" || die "--listen-ip must be an IP address, was '$value'"
            listen_ip=$value ;;
        --port)
            is_port "$value" || die "--port must be a port number from 1 to 65535, was '$value'"
            port=$((10#$value)) ;;
        --relay-ports)
            [[ $value =~ ^([0-9]{1,5})-([0-9]{1,5})$ ]] \
                || die "--relay-ports must be MIN-MAX, e.g. 49152-65535, was '$value'"
            min=$((10#${BASH_REMATCH[1]}))
            max=$((10#${BASH_REMATCH[2]}))
            (( min >= 1024 && min < max && max <= 65535 )) \
                || die "--relay-ports must satisfy 1024 <= MIN < MAX <= 65535, was '$value'"
            relay_ports="$min-$max" ;;
        --realm)
            [[ $value =~ ^[A-Za-z0-9.-]{1,64}$ ]] || die "--realm must be 1 to 64 of A-Z a-z 0-9 . -, was '$value'"
            realm=$value ;;
        --secret-file)
            [ -f "$value" ] && [ -r "$value" ] || die "--secret-file names no readable file: '$value'"
            secret_file=$value ;;
        --userdb) userdb=$value ;;
        --allowed-peer-ip)
            [[ $value =~ ^[0-9A-Fa-f:.]+(-[0-9A-Fa-f:.]+)?$ ]] \
                || die "--allowed-peer-ip must be an address or a range a-b, was '$value'"
            allowed+=("$value") ;;
        --dir) dir=$value ;;
    esac
done

if [ -z "$dir" ]; then
    [ -n "${HOME:-}" ] || die "neither --dir, STATE_DIRECTORY nor HOME is set: say where the configuration goes"
    dir="$HOME/.p2pchat/coturn"
fi
[ -f "$template" ] || die "the template $template is missing"
if [ -z "$external_ip" ]; then
    [ -n "$listen_ip" ] || die "--external-ip is needed (the address clients reach this host at), or --listen-ip with that address"
fi

secret=""
if [ "$long_term" = true ]; then
    userdb=${userdb:-$dir/turndb}
else
    [ -z "$userdb" ] || die "--userdb goes with --long-term"
    if [ -n "$secret_file" ]; then
        IFS= read -r secret < "$secret_file" || [ -n "$secret" ] || die "--secret-file $secret_file is empty"
    else
        secret=${P2PCHAT_TURN_SECRET:-}
        [ -n "$secret" ] || die "no secret: give --secret-file FILE or set P2PCHAT_TURN_SECRET (the relay's turn-secret-file), or use --long-term"
    fi
    # Never echo the secret itself in a message.
    [[ $secret =~ ^[A-Za-z0-9+/=._~-]{16,}$ ]] \
        || die "the secret must be 16 or more characters of A-Z a-z 0-9 + / = . _ ~ - (it is not shown here)"
fi

umask 077
mkdir -p "$dir" || die "cannot create $dir"
config="$dir/turnserver.conf"

# The values of the template's @NAME@s; an empty one leaves its line out.
declare -A values=(
    [LISTEN_IP]=$listen_ip
    [PORT]=$port
    [EXTERNAL_IP]=$external_ip
    [RELAY_IP]=$listen_ip
    [MIN_PORT]=${relay_ports%-*}
    [MAX_PORT]=${relay_ports#*-}
    [REALM]=$realm
    [SECRET]=$secret
    [USERDB]=$userdb
    [PID_FILE]=$dir/turnserver.pid
    [LOG_FILE]=$dir/turnserver.log
)

render() {
    local line name
    while IFS= read -r line || [ -n "$line" ]; do
        if [[ $line == \#* ]]; then
            printf '%s\n' "$line"
            continue
        fi
        if [ "$long_term" = true ] && [ "$line" = use-auth-secret ]; then
            line=lt-cred-mech
        fi
        if [[ $line == *@ALLOWED_PEER_IP@* ]]; then
            local range
            for range in "${allowed[@]+"${allowed[@]}"}"; do
                printf '%s\n' "${line//@ALLOWED_PEER_IP@/$range}"
            done
            continue
        fi
        for name in "${!values[@]}"; do
            if [[ $line == *"@$name@"* ]]; then
                if [ -z "${values[$name]}" ]; then
                    continue 2
                fi
                line=${line//"@$name@"/"${values[$name]}"}
            fi
        done
        if [[ $line =~ @[A-Z_]+@ ]]; then
            die "the template has a placeholder this script does not know: ${BASH_REMATCH[0]}"
        fi
        printf '%s\n' "$line"
    done < "$template"
}

trap 'rm -f "$config.tmp"' EXIT
render > "$config.tmp"
mv -f "$config.tmp" "$config"
trap - EXIT
echo "start-coturn.sh: wrote $config ($([ "$long_term" = true ] && echo "long-term users in $userdb" || echo "time-limited credentials"))" >&2

if [ "$write_only" = true ]; then
    exit 0
fi
turnserver=$(command -v turnserver || true)
[ -n "$turnserver" ] || { echo "start-coturn.sh: coturn is not installed: apt-get install coturn" >&2; exit 1; }
exec "$turnserver" -c "$config"
