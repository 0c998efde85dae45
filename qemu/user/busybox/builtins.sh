# Other builtins that need no process or file: eval, :, command, type,
# getopts, set --, shift, local, printf -v-free string building.
eval 'echo eval $((2 + 3))'
cmd="echo built from a variable"; eval "$cmd"
command echo "via command"
type echo
type printf
command -v echo
command -v :
OPTIND=1
set -- -a -b value -c rest
while getopts ab:c opt; do echo "opt $opt ${OPTARG-}"; done
shift $((OPTIND - 1)); echo "remaining $*"
set -- 1 2 3 4 5
shift 2; echo "$@"
echo ${1} ${5-none}
