from desktop.entry import main

main()
