"""bayyina.extract"""
