from okrctl.cli.entry import program

if __name__ == "__main__":
    program()
