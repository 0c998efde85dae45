# case: literal, glob, character class, alternation, no match, quoting.
c() {
  case "$1" in
    apple|pear) echo "$1: fruit" ;;
    [0-9]) echo "$1: digit" ;;
    [0-9]*) echo "$1: number-ish" ;;
    *.txt) echo "$1: text file" ;;
    ?) echo "$1: one char" ;;
    "a b") echo "$1: quoted space" ;;
    '*') echo "$1: literal star" ;;
    "") echo "(empty): empty" ;;
    *) echo "$1: other" ;;
  esac
}
for w in apple pear 7 42x notes.txt z "a b" "*" "" banana; do c "$w"; done
case x in y) echo no ;; esac; echo "no match status $?"
v=hello
case $v in h*o) echo "glob h*o" ;; esac
case $v in *ll*) echo "contains ll" ;; esac
case $v in [!a-g]*) echo "not a-g first" ;; esac
