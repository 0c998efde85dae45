# cd and pwd: chdir(2), getcwd(2).
cd / && pwd
cd /bin && pwd
cd .. && pwd
cd /nonexistent-kevlar 2>&1 || echo "cd failed $?"
pwd
