# test and [: strings, integers, -z/-n, negation, -a/-o, exit statuses.
t() { if "$@"; then echo "yes: $*"; else echo "no($?): $*"; fi; }
t [ abc = abc ]
t [ abc = abd ]
t [ abc != abd ]
t [ -z "" ]
t [ -n "" ]
t [ -n x ]
t [ 3 -eq 3 ]
t [ 3 -ne 3 ]
t [ 2 -lt 10 ]
t [ 10 -le 2 ]
t [ -5 -gt -6 ]
t [ 7 -ge 8 ]
t [ ! a = b ]
t [ a = a -a b = b ]
t [ a = b -o b = b ]
t [ a \< b ]
t [ b \> a ]
t test x
t test ""
t test
t [ "(" a = a ")" ]
t [ 0 -eq 00 ]
[ 1 -eq 2 ]; echo "status $?"
[ 1 -eq 1 ]; echo "status $?"
