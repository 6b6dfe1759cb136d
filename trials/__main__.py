from trials.cli import main

main()
