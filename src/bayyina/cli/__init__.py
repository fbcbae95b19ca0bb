"""bayyina.cli"""
