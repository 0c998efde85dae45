/* /bench-true: the static `true` that syscall-bench's vfork-execve benchmark
 * runs. Built with musl-gcc -static -O2. */
int main(void)
{
    return 0;
}
