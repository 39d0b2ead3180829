from borderkg.cli import main

main()
