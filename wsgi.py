from learning import create_app

app = create_app()
