# echo and printf: options, escapes, formats, argument reuse.
echo plain words   spaced
echo -n "no newline"; echo " then newline"
echo -e 'tab\there' 'nl\nnext'
echo "quoted   spaces"
echo '$not_expanded' "\$escaped"
printf '%s|%5s|%-5s|%.2s\n' abc abc abc abc
printf '%d|%5d|%-5d|%05d|%+d\n' 42 42 42 42 42
printf '%x|%X|%o|%#x|%#o\n' 255 255 8 255 8
printf '%c%c%c\n' A B C
printf '%s=%d\n' a 1 b 2 c 3
printf '%%|%b|\n' 'x\ty'
printf '%s\n'
printf 'no newline'; printf '\n'
printf '%d\n' -17 0 2147483648
printf '%i %u\n' 12 34
