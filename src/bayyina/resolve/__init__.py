"""bayyina.resolve"""
