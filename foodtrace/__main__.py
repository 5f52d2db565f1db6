from foodtrace.cli.main import main

main()
