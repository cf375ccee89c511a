from eventcontracts.cli import main

main()
